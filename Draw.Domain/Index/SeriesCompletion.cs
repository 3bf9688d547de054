using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Index;

/// <summary>
/// A series is complete (stable) when no instance has arrived for its quiet period: it then moves
/// from Receiving to Unprocessed, ready for matching. Only stable series move on.
/// </summary>
public static class SeriesCompletion
{
    public static async Task<int> PromoteStableAsync(this DrawDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        // Receiving series are few at any moment; the quiet period differs per series, so filter here.
        var receiving = await db.Series.Where(s => s.Status == SeriesStatus.Receiving).ToListAsync(cancellationToken);
        var stable = receiving.Where(s => now - s.LastArrival >= TimeSpan.FromSeconds(s.QuietPeriodSeconds)).ToList();
        foreach (var series in stable)
        {
            series.StableAt = now;
            db.ChangeStatus(time, series, SeriesStatus.Unprocessed, $"no new instance for {series.QuietPeriodSeconds} s ({series.InstanceCount} instances)");
        }

        return stable.Count;
    }
}
