using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Index;

/// <summary>
/// Server-side paging, filtering and search for the series list. Filters and the sort run on the
/// series (indexed: see the SeriesPage migration); the template, matched rules and backend status are
/// looked up for the page's rows only.
/// </summary>
// These are LINQ-to-SQL expressions: EF translates ToUpper, Contains and string.Compare to SQL on
// both providers; the culture and comparison overloads the analyzers suggest do not translate.
#pragma warning disable CA1304, CA1309, CA1311, CA1862
public static class SeriesQuery
{
    public static async Task<(IReadOnlyList<SeriesRow> Rows, int Total)> PageAsync(this DrawDbContext db, SeriesFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = Filter(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var page = await SeriesSort.Apply(query, filter.SortBy, filter.Descending)
            .Skip(filter.Skip).Take(filter.Take)
            .Select(s => new
            {
                Row = new SeriesRow(
                    s.Id, s.Study!.Patient!.PatientId, s.Study.Patient.Name, s.Study.StudyDate, s.Modality, s.Description, s.ProtocolName,
                    s.InstanceCount, s.Status, s.StatusChangedAt, s.LastArrival, s.Source, s.LateInstanceCount, s.ConflictCount),
                Match = db.SeriesMatches.Where(m => m.SeriesId == s.Id).Select(m => new { m.TemplateId, TemplateName = m.Template!.Name, m.Matches }).FirstOrDefault(),
                Step = db.SegmentationJobs.Where(j => j.SeriesId == s.Id).OrderByDescending(j => j.Id).Select(j => (Segmentation.JobStep?)j.Step).FirstOrDefault(),
                ServerStatus = db.SegmentationJobs.Where(j => j.SeriesId == s.Id).OrderByDescending(j => j.Id).Select(j => j.ServerStatus).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var rows = page.Select(p => p.Row with
        {
            TemplateId = p.Match?.TemplateId,
            TemplateName = p.Match?.TemplateName,
            MatchedRules = string.Join(", ", MatchedGroups.Read(p.Match?.Matches).Select(g => g.Name)),
            BackendStatus = p.Step is null ? null : p.ServerStatus is { Length: > 0 } server ? $"{p.Step}: {server}" : p.Step.ToString(),
            Sent = p.Step is not null,
        }).ToList();
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

    private static IQueryable<Series> Filter(DrawDbContext db, SeriesFilter filter)
    {
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

        if (filter.TemplateId is { } templateId)
        {
            query = query.Where(s => db.SeriesMatches.Any(m => m.SeriesId == s.Id && m.TemplateId == templateId));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // No index serves a substring search: scan each table once for its own fields (patients,
            // then studies, then series) rather than every series joined to its study and patient.
            var term = filter.Search.Trim().ToUpperInvariant();
            var patients = db.Patients.Where(p => p.PatientId.ToUpper().Contains(term) || (p.Name != null && p.Name.ToUpper().Contains(term))).Select(p => p.Id);
            var studies = db.Studies.Where(st => patients.Contains(st.PatientId) || (st.AccessionNumber != null && st.AccessionNumber.ToUpper().Contains(term))).Select(st => st.Id);
            query = query.Where(s => studies.Contains(s.StudyId) || (s.Description != null && s.Description.ToUpper().Contains(term)));
        }

        return query;
    }
}
#pragma warning restore CA1304, CA1309, CA1311, CA1862
