using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Web.Components.Pages.Board;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Radzen;
using Draw.Web.Components.Shared;

namespace Draw.Web.Components.Pages.Schedules;

/// <summary>
/// The periodic tasks: datastore scans with next and last run, Run now, Pause and Resume (Admin),
/// the recent runs, and the worker's own periodic services (read-only). Live: reloads when a scan
/// finishes or a schedule changes.
/// </summary>
public sealed partial class Schedules
{
    private IReadOnlyList<ScheduleRow> rows = [];
    private IReadOnlyList<DatastoreRun> runs = [];
    private long? selected;
    private string? selectedName;
    private DateTime now;
    private IDisposable? subscription;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private LiveEventNotifier Notifier { get; set; } = default!;

    [Inject]
    private WorkerWaker Waker { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => ReloadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            subscription = Notifier.Subscribe(incoming => incoming.Any(Concerns) ? InvokeAsync(ReloadAndRenderAsync) : Task.CompletedTask);
        }
    }

    private static bool Concerns(LiveEvent e) =>
        e.Kind.StartsWith("datastore.", StringComparison.Ordinal) || e.Kind.StartsWith("schedule.", StringComparison.Ordinal) || e.Kind == EventKinds.CommandFailed;

    private async Task ReloadAndRenderAsync()
    {
        await ReloadAsync();
        StateHasChanged();
    }

    private async Task ReloadAsync()
    {
        now = Time.GetUtcNow().UtcDateTime;
        await using var db = await Contexts.CreateDbContextAsync();
        rows = await ScheduleRows.LoadAsync(db, now, CancellationToken.None);
        runs = await ScheduleRows.RecentRunsAsync(db, selected, 50, CancellationToken.None);
        selectedName = rows.FirstOrDefault(r => r.Datastore.Id == selected)?.Datastore.Name;
    }

    private Task SelectAsync(long id)
    {
        selected = selected == id ? null : id;
        return ReloadAsync();
    }

    private async Task RunNowAsync(Datastore datastore)
    {
        if (await AdminNameAsync() is not { } by)
        {
            return;
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            db.RequestScan(datastore.Id, by, Time);
            await db.SaveAndPublishAsync(Notifier, CancellationToken.None);
        }

        await Waker.WakeAsync(WorkCommandKinds.ScanDatastore);
        Notifications.Notify(NotificationSeverity.Info, "Scan queued", $"A worker scans {datastore.Name} now; the run appears below.");
    }

    private async Task SetPausedAsync(Datastore datastore, bool paused)
    {
        if (await AdminNameAsync() is not { } by)
        {
            return;
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.SetPausedAsync(datastore.Id, paused, by, Time, Notifier, CancellationToken.None);
        }

        await Waker.WakeAsync(WorkCommandKinds.SyncSchedules);
        Notifications.Notify(NotificationSeverity.Success, paused ? "Schedule paused" : "Schedule resumed",
            paused ? $"{datastore.Name} is not scanned on its schedule until resumed (Run now still works)." : $"{datastore.Name} is scanned on its schedule again.");
        await ReloadAsync();
    }

    /// <summary>The signed-in admin's name; anyone else is refused here too, whatever the page showed them.</summary>
    private async Task<string?> AdminNameAsync()
    {
        var (name, refusal) = await Contexts.CheckAccessAsync(AuthenticationState, RoleAccess.Admins, "run, pause or edit schedules");
        if (name is null)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not allowed", refusal);
        }

        return name;
    }

    private static BadgeStyle RunBadge(DatastoreRunStatus status) => status switch
    {
        DatastoreRunStatus.Completed => BadgeStyle.Success,
        DatastoreRunStatus.Running => BadgeStyle.Info,
        DatastoreRunStatus.Failed => BadgeStyle.Danger,
        _ => BadgeStyle.Warning,
    };

    public void Dispose() => subscription?.Dispose();
}
