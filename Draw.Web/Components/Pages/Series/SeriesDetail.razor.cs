using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Series;

/// <summary>
/// The drawer of one series: its timeline of events, files, matched rules, errors, the RT structure
/// sets its jobs received and wrote, the exports made, the file operations and instance conflicts.
/// </summary>
public sealed partial class SeriesDetail
{
    private Domain.Index.Series? series;
    private List<EventRecord> timeline = [];
    private List<Instance> instances = [];
    private List<FileOperation> operations = [];
    private List<InstanceConflict> conflicts = [];
    private SeriesMatch? match;
    private IReadOnlyList<MatchedGroup> matchedGroups = [];
    private List<SegmentationJob> jobs = [];
    private List<(long? JobId, string? DeliveredTo)> deliveredTo = [];
    private List<ErrorLine> errors = [];

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Parameter, EditorRequired]
    public long SeriesId { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        series = await db.Series.AsNoTracking().FirstOrDefaultAsync(s => s.Id == SeriesId);
        timeline = await db.Events.AsNoTracking().Where(e => e.SeriesId == SeriesId).OrderByDescending(e => e.Id).Take(200).ToListAsync();
        instances = await db.Instances.AsNoTracking().Where(i => i.SeriesId == SeriesId).OrderBy(i => i.InstanceNumber).ThenBy(i => i.Path).Take(200).ToListAsync();
        operations = await db.FileOperations.AsNoTracking().Where(o => o.SeriesId == SeriesId).OrderByDescending(o => o.Id).Take(200).ToListAsync();
        conflicts = await db.InstanceConflicts.AsNoTracking().Where(c => c.SeriesId == SeriesId).ToListAsync();
        match = await db.SeriesMatches.AsNoTracking().Include(m => m.Template).FirstOrDefaultAsync(m => m.SeriesId == SeriesId);
        matchedGroups = MatchedGroups.Read(match?.Matches);
        jobs = await db.SegmentationJobs.AsNoTracking().Where(j => j.SeriesId == SeriesId).OrderByDescending(j => j.Id).ToListAsync();
        deliveredTo = [.. (await db.ExportDeliveries.AsNoTracking()
            .Where(d => d.SeriesId == SeriesId && d.State == Draw.Domain.Export.DeliveryState.Delivered)
            .OrderBy(d => d.Id).Select(d => new { d.JobId, d.DeliveredTo }).ToListAsync()).Select(d => (d.JobId, d.DeliveredTo))];
        errors = [.. Errors(jobs, timeline, operations)];
    }

    /// <summary>What went wrong: jobs' last errors, failure events, file operations that did not succeed.</summary>
    private static IEnumerable<ErrorLine> Errors(List<SegmentationJob> jobs, List<EventRecord> events, List<FileOperation> operations) =>
        jobs.Where(j => j.LastError is not null).Select(j => new ErrorLine(j.UpdatedAt, $"job {j.Id} at {j.StoppedAt ?? j.Step}", j.LastError!))
            .Concat(events.Where(e => e.Kind is EventKinds.JobFailed or EventKinds.JobRetrying or EventKinds.CommandFailed).Select(e => new ErrorLine(e.Time, e.Kind, e.Payload)))
            .Concat(operations.Where(o => o.Result != "ok").Select(o => new ErrorLine(o.Time, $"{o.Kind} {o.Source}", o.Result)))
            .OrderByDescending(e => e.Time);

    private sealed record ErrorLine(DateTime Time, string Where, string Message);
}
