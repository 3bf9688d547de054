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
        var joined =
            from e in db.Events.AsNoTracking()
            join s in db.Series.AsNoTracking() on e.SeriesId equals s.Id into seriesJoin
            from s in seriesJoin.DefaultIfEmpty()
            select new { Event = e, Patient = s == null ? null : s.Study!.Patient };
        if (!string.IsNullOrWhiteSpace(kindPrefix))
        {
            joined = joined.Where(r => r.Event.Kind.StartsWith(kindPrefix));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            joined = joined.Where(r => r.Patient != null && (r.Patient.PatientId.ToUpper().Contains(term) || (r.Patient.Name != null && r.Patient.Name.ToUpper().Contains(term))));
        }

        var total = await joined.CountAsync(cancellationToken);
        var rows = await joined.OrderByDescending(r => r.Event.Id).Skip(skip).Take(take)
            .Select(r => new EventRow(r.Event.Id, r.Event.Time, r.Event.Kind, r.Event.SeriesId, r.Patient == null ? null : r.Patient.PatientId, r.Patient == null ? null : r.Patient.Name, r.Event.Payload))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }
}
#pragma warning restore CA1304, CA1311, CA1862
