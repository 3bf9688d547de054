using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Segmentation;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Work;

/// <summary>How many series stand in one status, and since when the oldest of them has.</summary>
public sealed record StatusCount(SeriesStatus Status, int Count, DateTime? OldestSince);

/// <summary>How many jobs stand at one pipeline step, and since when the oldest of them has (active steps only).</summary>
public sealed record StepCount(JobStep Step, int Count, DateTime? OldestSince);

/// <summary>The live board's aggregates, each one query or a few, cheap enough to refresh on events.</summary>
public static class BoardQuery
{
    private static readonly string[] StepEntryKinds = [EventKinds.JobCreated, EventKinds.JobStep, EventKinds.JobResumed];

    /// <summary>Every status, with its count and the time the longest-waiting series entered it.</summary>
    public static async Task<IReadOnlyList<StatusCount>> StatusCountsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Series.AsNoTracking()
            .GroupBy(s => s.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Oldest = g.Min(s => s.StatusChangedAt) })
            .ToListAsync(cancellationToken);
        return [.. Enum.GetValues<SeriesStatus>().Select(status => rows.FirstOrDefault(r => r.Status == status) is { } row
            ? new StatusCount(status, row.Count, row.Oldest)
            : new StatusCount(status, 0, null))];
    }

    /// <summary>
    /// Every pipeline step, with its count; for active steps also when the longest-waiting job entered
    /// the step, read from the change feed (the job's last created, step or resumed event), because a
    /// job's UpdatedAt moves at every poll and retry.
    /// </summary>
    public static async Task<IReadOnlyList<StepCount>> StepCountsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = await db.SegmentationJobs.AsNoTracking()
            .GroupBy(j => j.Step)
            .Select(g => new { Step = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var active = await db.SegmentationJobs.AsNoTracking()
            .Where(j => j.Step != JobStep.Done && j.Step != JobStep.Failed && j.Step != JobStep.Cancelled)
            .Select(j => new { j.SeriesId, j.Step, j.CreatedAt })
            .ToListAsync(cancellationToken);
        var entered = await StepEntryTimesAsync(db, [.. active.Select(j => j.SeriesId).Distinct()], cancellationToken);
        var oldest = active
            .GroupBy(j => j.Step)
            .ToDictionary(g => g.Key, g => g.Min(j => entered.TryGetValue(j.SeriesId, out var at) && at >= j.CreatedAt ? at : j.CreatedAt));
        return [.. Enum.GetValues<JobStep>().Select(step => new StepCount(
            step,
            counts.FirstOrDefault(c => c.Step == step)?.Count ?? 0,
            oldest.TryGetValue(step, out var since) ? since : null))];
    }

    /// <summary>Per series, the time of its latest job event that moved a job into a step.</summary>
    private static async Task<Dictionary<long, DateTime>> StepEntryTimesAsync(DrawDbContext db, List<long> seriesIds, CancellationToken cancellationToken)
    {
        if (seriesIds.Count == 0)
        {
            return [];
        }

        var latestIds = await db.Events.AsNoTracking()
            .Where(e => e.SeriesId != null && seriesIds.Contains(e.SeriesId.Value) && StepEntryKinds.Contains(e.Kind))
            .GroupBy(e => e.SeriesId)
            .Select(g => g.Max(e => e.Id))
            .ToListAsync(cancellationToken);
        var latest = await db.Events.AsNoTracking()
            .Where(e => latestIds.Contains(e.Id))
            .Select(e => new { e.SeriesId, e.Time })
            .ToListAsync(cancellationToken);
        return latest.ToDictionary(e => e.SeriesId!.Value, e => e.Time);
    }

    /// <summary>The change-feed rows the throughput chart counts, from <paramref name="since"/> on.</summary>
    public static async Task<IReadOnlyList<LiveEvent>> ThroughputEventsAsync(this DrawDbContext db, DateTime since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var exported = ThroughputBuckets.CompletedMarker;
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.Time >= since
                && (e.Kind == EventKinds.SeriesCreated || e.Kind == EventKinds.SeriesInstancesArrived
                    || (e.Kind == EventKinds.SeriesStatusChanged && e.Payload.Contains(exported))))
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.Time, e.Kind, e.SeriesId, e.Payload })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new LiveEvent(r.Id, r.Time, r.Kind, r.SeriesId, r.Payload))];
    }
}
