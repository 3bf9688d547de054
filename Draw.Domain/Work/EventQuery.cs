using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Work;

/// <summary>One change-feed row with the patient it concerns, for the processing log.</summary>
public sealed record EventRow(long Id, DateTime Time, string Kind, long? SeriesId, string? PatientId, string? PatientName, string Payload);

/// <summary>The change feed as a searchable, filterable, paged log.</summary>
#pragma warning disable CA1304, CA1311, CA1862 // LINQ-to-SQL: EF translates ToUpper and Contains on both providers.
public static class EventQuery
{
    public static async Task<(IReadOnlyList<EventRow> Rows, int Total)> PageEventsAsync(
        this DrawDbContext db, string? kindPrefix, string? search, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query =
            from e in db.Events.AsNoTracking()
            join s in db.Series.AsNoTracking() on e.SeriesId equals s.Id into seriesJoin
            from s in seriesJoin.DefaultIfEmpty()
            select new EventRow(e.Id, e.Time, e.Kind, e.SeriesId, s == null ? null : s.Study!.Patient!.PatientId, s == null ? null : s.Study!.Patient!.Name, e.Payload);
        if (!string.IsNullOrWhiteSpace(kindPrefix))
        {
            query = query.Where(r => r.Kind.StartsWith(kindPrefix));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(r => (r.PatientId != null && r.PatientId.ToUpper().Contains(term)) || (r.PatientName != null && r.PatientName.ToUpper().Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (rows, total);
    }
}
#pragma warning restore CA1304, CA1311, CA1862
