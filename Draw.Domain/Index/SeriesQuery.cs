using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Index;

/// <summary>One row of the "Series for processing" list.</summary>
public sealed record SeriesRow(
    long Id,
    string PatientId,
    string? PatientName,
    string? StudyDate,
    string? Modality,
    string? Description,
    string? ProtocolName,
    int Instances,
    SeriesStatus Status,
    DateTime StatusChangedAt,
    DateTime LastArrival,
    SeriesSource Source,
    int LateInstances,
    int Conflicts);

/// <summary>The filters and paging of the series list; all optional.</summary>
public sealed record SeriesFilter
{
    public IReadOnlyCollection<SeriesStatus>? Statuses { get; init; }

    public string? Modality { get; init; }

    /// <summary>Study dates as YYYYMMDD, inclusive.</summary>
    public string? StudyDateFrom { get; init; }

    public string? StudyDateTo { get; init; }

    /// <summary>Matches patient ID, patient name, accession number or series description.</summary>
    public string? Search { get; init; }

    public string SortBy { get; init; } = nameof(SeriesRow.StatusChangedAt);

    public bool Descending { get; init; } = true;

    public int Skip { get; init; }

    public int Take { get; init; } = 25;
}

/// <summary>Server-side paging, filtering and search for the series list.</summary>
// These are LINQ-to-SQL expressions: EF translates ToUpper, Contains and string.Compare to SQL on
// both providers; the culture and comparison overloads the analyzers suggest do not translate.
#pragma warning disable CA1304, CA1309, CA1311, CA1862
public static class SeriesQuery
{
    public static async Task<(IReadOnlyList<SeriesRow> Rows, int Total)> PageAsync(this DrawDbContext db, SeriesFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Series.AsNoTracking();
        if (filter.Statuses is { Count: > 0 } statuses)
        {
            query = query.Where(s => statuses.Contains(s.Status));
        }

        if (!string.IsNullOrWhiteSpace(filter.Modality))
        {
            query = query.Where(s => s.Modality == filter.Modality);
        }

        if (!string.IsNullOrWhiteSpace(filter.StudyDateFrom))
        {
            query = query.Where(s => string.Compare(s.Study!.StudyDate, filter.StudyDateFrom) >= 0);
        }

        if (!string.IsNullOrWhiteSpace(filter.StudyDateTo))
        {
            query = query.Where(s => string.Compare(s.Study!.StudyDate, filter.StudyDateTo) <= 0);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim().ToUpperInvariant();
            query = query.Where(s => s.Study!.Patient!.PatientId.ToUpper().Contains(term)
                || (s.Study.Patient.Name != null && s.Study.Patient.Name.ToUpper().Contains(term))
                || (s.Study.AccessionNumber != null && s.Study.AccessionNumber.ToUpper().Contains(term))
                || (s.Description != null && s.Description.ToUpper().Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await Sort(query, filter)
            .Skip(filter.Skip).Take(filter.Take)
            .Select(s => new SeriesRow(
                s.Id, s.Study!.Patient!.PatientId, s.Study.Patient.Name, s.Study.StudyDate, s.Modality, s.Description, s.ProtocolName,
                s.InstanceCount, s.Status, s.StatusChangedAt, s.LastArrival, s.Source, s.LateInstanceCount, s.ConflictCount))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    /// <summary>Counts per status, for the board's counters.</summary>
    public static async Task<Dictionary<SeriesStatus, int>> CountByStatusAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = await db.Series.AsNoTracking().GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var result = Enum.GetValues<SeriesStatus>().ToDictionary(s => s, _ => 0);
        foreach (var count in counts)
        {
            result[count.Key] = count.Count;
        }

        return result;
    }

    private static IQueryable<Series> Sort(IQueryable<Series> series, SeriesFilter filter) => (filter.SortBy, filter.Descending) switch
    {
        (nameof(SeriesRow.PatientId), false) => series.OrderBy(s => s.Study!.Patient!.PatientId).ThenBy(s => s.Id),
        (nameof(SeriesRow.PatientId), true) => series.OrderByDescending(s => s.Study!.Patient!.PatientId).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.PatientName), false) => series.OrderBy(s => s.Study!.Patient!.Name).ThenBy(s => s.Id),
        (nameof(SeriesRow.PatientName), true) => series.OrderByDescending(s => s.Study!.Patient!.Name).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.StudyDate), false) => series.OrderBy(s => s.Study!.StudyDate).ThenBy(s => s.Id),
        (nameof(SeriesRow.StudyDate), true) => series.OrderByDescending(s => s.Study!.StudyDate).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.Modality), false) => series.OrderBy(s => s.Modality).ThenBy(s => s.Id),
        (nameof(SeriesRow.Modality), true) => series.OrderByDescending(s => s.Modality).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.Instances), false) => series.OrderBy(s => s.InstanceCount).ThenBy(s => s.Id),
        (nameof(SeriesRow.Instances), true) => series.OrderByDescending(s => s.InstanceCount).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.Status), false) => series.OrderBy(s => s.Status).ThenBy(s => s.Id),
        (nameof(SeriesRow.Status), true) => series.OrderByDescending(s => s.Status).ThenByDescending(s => s.Id),
        (_, false) => series.OrderBy(s => s.StatusChangedAt).ThenBy(s => s.Id),
        _ => series.OrderByDescending(s => s.StatusChangedAt).ThenByDescending(s => s.Id),
    };
}
#pragma warning restore CA1304, CA1309, CA1311, CA1862
