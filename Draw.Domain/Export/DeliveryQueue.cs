using Draw.Domain.Persistence;
using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export;

/// <summary>What to deliver, where, and on whose behalf.</summary>
public sealed record DeliveryRequest(long DestinationId, string SopInstanceUid, string SourcePath, string RequestedBy)
{
    public long? SeriesId { get; init; }

    public long? JobId { get; init; }

    public long? HarvestSourceId { get; init; }
}

/// <summary>
/// The durable queue of <see cref="ExportDelivery"/> items: created once per (destination, SOP
/// instance), claimed with a lease (a conditional update; a stale or stopped worker's lease is
/// taken over), re-armed or repeated only when a person asks.
/// </summary>
public static class DeliveryQueue
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The delivery of this instance to this destination: the one that exists (whatever its state:
    /// exactly once), or a new pending one. The unique index backs the check against a racing worker.
    /// </summary>
    public static async Task<(ExportDelivery Delivery, bool Created)> EnsureDeliveryAsync(this DrawDbContext db, TimeProvider time, DeliveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(request);
        var existing = db.ExportDeliveries.Local.Where(d => d.DestinationId == request.DestinationId && d.SopInstanceUid == request.SopInstanceUid).MaxBy(d => d.Sequence)
            ?? await db.ExportDeliveries.Where(d => d.DestinationId == request.DestinationId && d.SopInstanceUid == request.SopInstanceUid)
                .OrderByDescending(d => d.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        var delivery = NewDelivery(time, request, sequence: 0);
        db.ExportDeliveries.Add(delivery);
        return (delivery, true);
    }

    /// <summary>A person asks to send an instance to a destination again: a new delivery with the next sequence.</summary>
    /// <exception cref="InvalidOperationException">Nothing was ever delivered there, or a delivery is still under way.</exception>
    public static async Task<ExportDelivery> RequestReexportAsync(this DrawDbContext db, TimeProvider time, long destinationId, string sopInstanceUid, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.ExportDeliveries.Where(d => d.DestinationId == destinationId && d.SopInstanceUid == sopInstanceUid)
            .OrderByDescending(d => d.Sequence).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"destination {destinationId} never had instance {sopInstanceUid}; there is nothing to export again");
        if (last.State == DeliveryState.Pending)
        {
            throw new InvalidOperationException($"delivery {last.Id} of that instance is still under way");
        }

        var again = NewDelivery(time, new DeliveryRequest(destinationId, sopInstanceUid, last.SourcePath, user) { SeriesId = last.SeriesId, JobId = last.JobId, HarvestSourceId = last.HarvestSourceId }, last.Sequence + 1);
        db.ExportDeliveries.Add(again);
        db.Append(time, EventKinds.ExportRequested, new { destination = destinationId, previous = last.Id, by = user, kind = "re-export" }, last.SeriesId);
        return again;
    }

    /// <summary>A person asks to try a parked (failed) delivery again: the same delivery, attempts from zero.</summary>
    public static void Retry(this DrawDbContext db, TimeProvider time, ExportDelivery delivery, string user)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.State != DeliveryState.Failed)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        delivery.State = DeliveryState.Pending;
        delivery.Attempts = 0;
        delivery.LastError = null;
        delivery.NextAttemptAt = now;
        delivery.UpdatedAt = now;
        delivery.FinishedAt = null;
        db.Append(time, EventKinds.ExportRequested, new { delivery = delivery.Id, by = user, kind = "retry" }, delivery.SeriesId);
    }

    /// <summary>Claims the next due delivery for <paramref name="worker"/>, or returns null.</summary>
    public static async Task<ExportDelivery?> TryClaimNextDeliveryAsync(this DrawDbContext db, string worker, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var staleBefore = now - WorkerInstance.StaleAfter;
        var due = await db.ExportDeliveries.AsNoTracking()
            .Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now
                && (d.LeaseOwner == null || d.LeaseUntil < now
                    || !db.WorkerInstances.Any(w => w.Id == d.LeaseOwner && w.StoppedAt == null && w.LastSeenAt >= staleBefore)))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Select(d => d.Id).Take(8).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            var until = now + Lease;
            var claimed = await db.ExportDeliveries
                .Where(d => d.Id == id && d.State == DeliveryState.Pending
                    && (d.LeaseOwner == null || d.LeaseUntil < now
                        || !db.WorkerInstances.Any(w => w.Id == d.LeaseOwner && w.StoppedAt == null && w.LastSeenAt >= staleBefore)))
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeaseOwner, worker).SetProperty(d => d.LeaseUntil, until), cancellationToken);
            if (claimed == 1)
            {
                return await db.ExportDeliveries.SingleAsync(d => d.Id == id, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>The wait before the next attempt, by the destination's own backoff.</summary>
    public static TimeSpan BackoffFor(ExportDestination destination, int attempt)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return JobQueue.Backoff(attempt, TimeSpan.FromSeconds(destination.BackoffBaseSeconds), TimeSpan.FromSeconds(destination.BackoffMaxSeconds));
    }

    private static ExportDelivery NewDelivery(TimeProvider time, DeliveryRequest request, int sequence)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new ExportDelivery
        {
            DestinationId = request.DestinationId,
            SopInstanceUid = request.SopInstanceUid,
            Sequence = sequence,
            SourcePath = request.SourcePath,
            SeriesId = request.SeriesId,
            JobId = request.JobId,
            HarvestSourceId = request.HarvestSourceId,
            RequestedBy = request.RequestedBy,
            State = DeliveryState.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
