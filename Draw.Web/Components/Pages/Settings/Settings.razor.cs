using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Settings;

/// <summary>
/// Admin-only: each live worker's effective configuration as it published it with its heartbeat
/// (secrets masked by the worker), the variable that changes each setting, and the backend
/// connection test run by that worker.
/// </summary>
public sealed partial class Settings
{
    /// <summary>The sections shown, in order, with their titles.</summary>
    private static readonly (string Section, string Title)[] Sections =
    [
        ("DrawServer", "Backend: DRAW server API"),
        ("Listener", "DICOM listener"),
        ("Deidentification", "De-identification profile"),
        ("Ingest", "Ingest: quiet periods and uploads"),
        ("Pipeline", "Pipeline: retries and polling"),
        ("Worker", "Worker"),
        ("Storage", "Storage"),
        ("Database", "Database"),
        ("Live", "Live channel"),
    ];

    private List<WorkerInstance> workers = [];
    private string? selectedId;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private WorkerInstance? Selected => workers.FirstOrDefault(w => w.Id == selectedId) ?? workers.FirstOrDefault();

    private IReadOnlyList<SettingEntry> Entries => WorkerReports.Parse<SettingEntry>(Selected?.Configuration);

    protected override async Task OnInitializedAsync()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await using var db = await Contexts.CreateDbContextAsync();
        var recent = await db.WorkerInstances.AsNoTracking().Where(w => w.StoppedAt == null).OrderByDescending(w => w.StartedAt).Take(20).ToListAsync();
        workers = [.. recent.Where(w => w.LivenessAt(now) == WorkerLiveness.Live)];
        selectedId = workers.FirstOrDefault()?.Id;
    }
}
