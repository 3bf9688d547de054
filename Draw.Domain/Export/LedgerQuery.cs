using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export;

/// <summary>What the File transfers page and `draw ledger` filter by; every part optional.</summary>
public sealed record LedgerFilter
{
    /// <summary>Part of the patient ID or name, the SOP instance UID, the file name, the target or the destination's name (any case).</summary>
    public string? Search { get; init; }

    public long? DestinationId { get; init; }

    public LedgerResult? Result { get; init; }

    public DateTime? From { get; init; }

    public DateTime? To { get; init; }
}

public sealed record LedgerPage(IReadOnlyList<ExportLedgerEntry> Entries, int Total);

/// <summary>Reads the export ledger, newest first.</summary>
public static class LedgerQuery
{
// LINQ-to-SQL: EF translates ToUpper and Contains on both providers; culture overloads do not translate.
#pragma warning disable CA1304, CA1311, CA1862
    public static IQueryable<ExportLedgerEntry> Filtered(this DrawDbContext db, LedgerFilter filter)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.ExportLedger.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim().ToUpperInvariant();
            query = query.Where(e => (e.PatientId != null && e.PatientId.ToUpper().Contains(term))
                || (e.PatientName != null && e.PatientName.ToUpper().Contains(term))
                || e.SopInstanceUid.Contains(term)
                || (e.FileName != null && e.FileName.ToUpper().Contains(term))
                || (e.Target != null && e.Target.ToUpper().Contains(term))
                || e.DestinationName.ToUpper().Contains(term));
        }
#pragma warning restore CA1304, CA1311, CA1862

        if (filter.DestinationId is { } destination)
        {
            query = query.Where(e => e.DestinationId == destination);
        }

        if (filter.Result is { } result)
        {
            query = query.Where(e => e.Result == result);
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.ExportedAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.ExportedAt < to);
        }

        return query.OrderByDescending(e => e.ExportedAt).ThenByDescending(e => e.Id);
    }

    public static async Task<LedgerPage> SearchLedgerAsync(this DrawDbContext db, LedgerFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        var query = db.Filtered(filter);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 10_000)).ToListAsync(cancellationToken);
        return new LedgerPage(entries, total);
    }
}
