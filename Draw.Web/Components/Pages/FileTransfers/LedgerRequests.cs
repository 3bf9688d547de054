using System.Security.Claims;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.FileTransfers;

/// <summary>A delivery still under way or parked, as the File transfers page lists it.</summary>
internal sealed record OpenDelivery(
    long Id, string Destination, string SopInstanceUid, string SourcePath, string? PatientId, DeliveryState State,
    int Attempts, int MaxAttempts, DateTime NextAttemptAt, string? LastError, string RequestedBy, int Sequence, bool Leased);

/// <summary>
/// What the File transfers page's buttons do on the server, each checking the role in the database first
/// (a Viewer, or a user demoted since the page opened, is refused even if a button were forced visible), and the page-level read of open deliveries. The
/// caller commits with the events and wakes the workers.
/// </summary>
internal static class LedgerRequests
{
    /// <summary>A person asks for the file of a ledger row to go to that destination again.</summary>
    /// <exception cref="AccessDeniedException">The user may not re-export.</exception>
    /// <exception cref="InvalidOperationException">The row is gone, nothing was delivered there, or a delivery is still under way.</exception>
    public static async Task<ExportDelivery> ReexportAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long ledgerEntryId, CancellationToken cancellationToken)
    {
        var name = await db.RequireAsync(user, RoleAccess.Operators, "re-export files", cancellationToken);
        var entry = await db.ExportLedger.AsNoTracking().FirstOrDefaultAsync(e => e.Id == ledgerEntryId, cancellationToken)
            ?? throw new InvalidOperationException($"there is no ledger row {ledgerEntryId}");
        if (!await db.ExportDestinations.AnyAsync(d => d.Id == entry.DestinationId, cancellationToken))
        {
            throw new InvalidOperationException($"the destination '{entry.DestinationName}' no longer exists");
        }

        return await db.RequestReexportAsync(time, entry.DestinationId, entry.SopInstanceUid, name, cancellationToken);
    }

    /// <summary>A person asks to try a parked delivery again (attempts from zero).</summary>
    public static async Task RetryAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, long deliveryId, CancellationToken cancellationToken)
    {
        var name = await db.RequireAsync(user, RoleAccess.Operators, "retry deliveries", cancellationToken);
        var delivery = await db.ExportDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken)
            ?? throw new InvalidOperationException($"there is no delivery {deliveryId}");
        if (delivery.State != DeliveryState.Failed)
        {
            throw new InvalidOperationException($"delivery {deliveryId} is {delivery.State}, not failed");
        }

        db.Retry(time, delivery, name);
    }

    /// <summary>
    /// Deliveries under way first, soonest attempt first; then parked failures, latest first (State is
    /// stored as text, so the order tests it rather than sorting by it).
    /// </summary>
    public static async Task<List<OpenDelivery>> OpenDeliveriesAsync(this DrawDbContext db, DateTime now, int max, CancellationToken cancellationToken)
    {
        var open = await db.ExportDeliveries.AsNoTracking()
            .Where(d => d.State != DeliveryState.Delivered)
            .OrderBy(d => d.State == DeliveryState.Pending ? 0 : 1)
            .ThenBy(d => d.State == DeliveryState.Pending ? d.NextAttemptAt : DateTime.MinValue)
            .ThenByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id)
            .Take(max)
            .Select(d => new
            {
                Delivery = d,
                Destination = db.ExportDestinations.Where(x => x.Id == d.DestinationId).Select(x => new { x.Name, x.MaxAttempts }).FirstOrDefault(),
                PatientId = db.Series.Where(s => s.Id == d.SeriesId).Select(s => s.Study!.Patient!.PatientId).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return
        [
            .. open.Select(o => new OpenDelivery(
                o.Delivery.Id, o.Destination?.Name ?? $"(destination {o.Delivery.DestinationId})", o.Delivery.SopInstanceUid, o.Delivery.SourcePath, o.PatientId,
                o.Delivery.State, o.Delivery.Attempts, o.Destination?.MaxAttempts ?? 0, o.Delivery.NextAttemptAt, o.Delivery.LastError, o.Delivery.RequestedBy,
                o.Delivery.Sequence, o.Delivery.LeaseOwner is not null && o.Delivery.LeaseUntil > now)),
        ];
    }
}
