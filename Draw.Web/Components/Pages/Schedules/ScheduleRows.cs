using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Schedules;

/// <summary>One datastore schedule as the schedules page lists it, with its last run and next expected runs.</summary>
public sealed record ScheduleRow(Datastore Datastore, DatastoreRun? LastRun, IReadOnlyList<DateTime> NextRuns)
{
    public string State => !Datastore.Enabled ? "disabled" : Datastore.Paused ? "paused" : "active";
}

internal static class ScheduleRows
{
    public static async Task<IReadOnlyList<ScheduleRow>> LoadAsync(DrawDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var datastores = await db.Datastores.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
        var lastRunIds = await db.DatastoreRuns.AsNoTracking()
            .GroupBy(r => r.DatastoreId)
            .Select(g => g.Max(r => r.Id))
            .ToListAsync(cancellationToken);
        var lastRuns = await db.DatastoreRuns.AsNoTracking().Where(r => lastRunIds.Contains(r.Id)).ToDictionaryAsync(r => r.DatastoreId, cancellationToken);
        return [.. datastores.Select(d =>
        {
            var last = lastRuns.GetValueOrDefault(d.Id);
            var next = d.Enabled && !d.Paused ? DatastoreSchedule.NextRuns(d.Cron, d.IntervalSeconds, last?.StartedAt, now, 1) : [];
            return new ScheduleRow(d, last, next);
        })];
    }

    /// <summary>The latest runs (of one datastore, or all), newest first.</summary>
    public static async Task<IReadOnlyList<DatastoreRun>> RecentRunsAsync(DrawDbContext db, long? datastoreId, int count, CancellationToken cancellationToken)
    {
        var runs = db.DatastoreRuns.AsNoTracking();
        if (datastoreId is { } id)
        {
            runs = runs.Where(r => r.DatastoreId == id);
        }

        return await runs.OrderByDescending(r => r.Id).Take(count).ToListAsync(cancellationToken);
    }
}
