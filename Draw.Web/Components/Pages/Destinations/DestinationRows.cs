using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>A destination as the list shows it: the domain's view, the rules that use it and its latest ledger row.</summary>
internal sealed record DestinationRow(DestinationView View, int Rules, LedgerResult? LastResult, DateTime? LastAt, string? LastError);

/// <summary>The page-level reads of the Destinations page (the domain lists destinations; this adds rule counts and last results).</summary>
internal static class DestinationRows
{
    public static async Task<List<DestinationRow>> ListRowsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        var views = await db.ListDestinationsAsync(cancellationToken);
        var rules = await db.ExportRules.AsNoTracking().GroupBy(r => r.DestinationId)
            .Select(g => new { Id = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Id, x => x.Count, cancellationToken);
        // The newest ledger row per destination: its highest id (rows are appended as deliveries finish).
        var lastIds = await db.ExportLedger.AsNoTracking().GroupBy(e => e.DestinationId).Select(g => g.Max(e => e.Id)).ToListAsync(cancellationToken);
        var last = await db.ExportLedger.AsNoTracking().Where(e => lastIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.DestinationId, cancellationToken);
        return
        [
            .. views.Select(v => last.TryGetValue(v.Id, out var entry)
                ? new DestinationRow(v, rules.GetValueOrDefault(v.Id), entry.Result, entry.ExportedAt, entry.Error)
                : new DestinationRow(v, rules.GetValueOrDefault(v.Id), null, null, null)),
        ];
    }

    /// <summary>The stored destination with its nodes, for the edit form.</summary>
    public static Task<ExportDestination?> FindForEditAsync(this DrawDbContext db, long id, CancellationToken cancellationToken) =>
        db.ExportDestinations.AsNoTracking().Include(d => d.Nodes).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);

    /// <summary>
    /// Pushes the events a domain call committed itself (it saves without publishing) to the live
    /// dashboards. The context is fresh per operation, so every tracked event is one it just wrote.
    /// </summary>
    public static void PublishCommitted(this DrawDbContext db, IEventPublisher publisher)
    {
        var committed = db.ChangeTracker.Entries<EventRecord>().Where(e => e.State == EntityState.Unchanged).Select(e => LiveEvent.From(e.Entity)).ToList();
        if (committed.Count > 0)
        {
            publisher.Publish(committed);
        }
    }
}
