using Draw.Domain.Persistence;
using Draw.Domain.Work;

namespace Draw.Domain.Index;

/// <summary>Every series status change goes through here, so each one is an event on the change feed.</summary>
public static class SeriesTransitions
{
    public static void ChangeStatus(this DrawDbContext db, TimeProvider time, Series series, SeriesStatus to, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(series);
        if (series.Id == 0)
        {
            throw new InvalidOperationException("A series must be saved before its status changes (the event needs its id).");
        }

        var from = series.Status;
        series.Status = to;
        series.StatusChangedAt = time.GetUtcNow().UtcDateTime;
        db.Append(time, EventKinds.SeriesStatusChanged, new { from = from.ToString(), to = to.ToString(), reason }, series.Id);
    }

    /// <summary>Statuses in which a series still takes instances; any later one means it has moved on.</summary>
    public static bool IsOpen(this SeriesStatus status) => status is SeriesStatus.Receiving or SeriesStatus.Unprocessed;
}
