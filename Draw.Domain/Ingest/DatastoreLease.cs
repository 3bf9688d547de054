using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Ingest;

/// <summary>
/// One scan at a time per datastore, across every worker: a lease in the datastore's row, taken
/// and renewed by conditional updates, released at the end. A dead worker's lease simply expires.
/// </summary>
public static class DatastoreLease
{
    public static async Task<bool> TryTakeAsync(this DrawDbContext db, long datastoreId, string owner, DateTime now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var until = now + duration;
        var taken = await db.Datastores
            .Where(d => d.Id == datastoreId && (d.LeaseOwner == null || d.LeaseUntil < now || d.LeaseOwner == owner))
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeaseOwner, owner).SetProperty(d => d.LeaseUntil, until), cancellationToken);
        return taken == 1;
    }

    /// <summary>Extends a lease still held; false when another worker has taken it meanwhile.</summary>
    public static Task<bool> RenewAsync(this DrawDbContext db, long datastoreId, string owner, DateTime now, TimeSpan duration, CancellationToken cancellationToken) =>
        db.TryTakeAsync(datastoreId, owner, now, duration, cancellationToken);

    public static Task ReleaseAsync(this DrawDbContext db, long datastoreId, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Datastores
            .Where(d => d.Id == datastoreId && d.LeaseOwner == owner)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeaseOwner, (string?)null).SetProperty(d => d.LeaseUntil, (DateTime?)null), cancellationToken);
    }
}
