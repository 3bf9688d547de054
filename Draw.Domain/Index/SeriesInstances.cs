using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Index;

/// <summary>The files of a series in one order everywhere (matching, packaging, re-identification).</summary>
public static class SeriesInstances
{
    /// <summary>
    /// Paths by Instance Number (numbered before unnumbered, the same on every provider), then path.
    /// Late instances (arrived after the series moved on) only when asked for.
    /// </summary>
    public static IQueryable<string> InstancePathsInOrder(this DrawDbContext db, long seriesId, bool includeLate)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Instances.AsNoTracking()
            .Where(i => i.SeriesId == seriesId && (includeLate || !i.Late))
            .OrderBy(i => i.InstanceNumber == null).ThenBy(i => i.InstanceNumber).ThenBy(i => i.Path)
            .Select(i => i.Path);
    }
}
