using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export.Harvest;

/// <summary>Harvest sources: add or update by name, remove, and the one-scan-at-a-time lease.</summary>
public static class HarvestAdministration
{
    public static async Task<HarvestSource> SaveHarvestSourceAsync(this DrawDbContext db, TimeProvider time, HarvestSource source, IReadOnlyCollection<long> destinationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destinationIds);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(source.Name) || source.Name.Length > 128)
        {
            problems.Add("Name must be 1 to 128 characters.");
        }

        if (string.IsNullOrWhiteSpace(source.Path) || !Path.IsPathRooted(source.Path))
        {
            problems.Add($"Path must be an absolute folder path (got '{source.Path}').");
        }

        if (source.IntervalSeconds is < 5 or > 604_800)
        {
            problems.Add($"IntervalSeconds must be from 5 to 604800 (got {source.IntervalSeconds}).");
        }

        if (source.QuietPeriodSeconds is < 0 or > 604_800)
        {
            problems.Add($"QuietPeriodSeconds must be from 0 to 604800 (got {source.QuietPeriodSeconds}).");
        }

        var found = await db.ExportDestinations.Where(d => destinationIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
        if (destinationIds.Count == 0 || found.Count != destinationIds.Distinct().Count())
        {
            problems.Add("Destinations: name at least one existing destination.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDestinationException(string.Join(" ", problems));
        }

        var existing = await db.HarvestSources.Include(s => s.Destinations).FirstOrDefaultAsync(s => s.Name == source.Name, cancellationToken);
        if (existing is null)
        {
            existing = new HarvestSource { Name = source.Name, Path = source.Path, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.HarvestSources.Add(existing);
        }

        existing.Path = Path.GetFullPath(source.Path);
        existing.Enabled = source.Enabled;
        existing.IntervalSeconds = source.IntervalSeconds;
        existing.QuietPeriodSeconds = source.QuietPeriodSeconds;
        existing.Destinations.Clear();
        existing.Destinations.AddRange(found.Select(id => new HarvestSourceDestination { DestinationId = id }));
        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }

    public static async Task<bool> DeleteHarvestSourceAsync(this DrawDbContext db, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var source = await db.HarvestSources.FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (source is null)
        {
            return false;
        }

        await db.HarvestedFiles.Where(f => f.HarvestSourceId == source.Id).ExecuteDeleteAsync(cancellationToken);
        db.HarvestSources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Takes the scan lease of a source (free, expired, or already ours); false when another worker scans it.</summary>
    public static async Task<bool> TryTakeHarvestLeaseAsync(this DrawDbContext db, long sourceId, string owner, DateTime now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var until = now + duration;
        return await db.HarvestSources
            .Where(s => s.Id == sourceId && (s.LeaseOwner == null || s.LeaseUntil < now || s.LeaseOwner == owner))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseOwner, owner).SetProperty(s => s.LeaseUntil, until), cancellationToken) == 1;
    }

    public static Task ReleaseHarvestLeaseAsync(this DrawDbContext db, long sourceId, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.HarvestSources.Where(s => s.Id == sourceId && s.LeaseOwner == owner)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseOwner, (string?)null).SetProperty(s => s.LeaseUntil, (DateTime?)null), cancellationToken);
    }
}
