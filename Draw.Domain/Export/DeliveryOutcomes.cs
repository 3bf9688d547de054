using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export;

/// <summary>
/// Applies what happened to a delivery: delivered, retried later with the destination's backoff, or
/// parked as failed. The ledger row and the event go into the same context, so they commit with the
/// delivery's new state or not at all.
/// </summary>
public static class DeliveryOutcomes
{
    public static async Task DeliveredAsync(this DrawDbContext db, TimeProvider time, ExportDelivery delivery, ExportDestination destination, ExportFacts facts, string target, string? fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(destination);
        var now = time.GetUtcNow().UtcDateTime;
        delivery.Attempts++;
        delivery.State = DeliveryState.Delivered;
        delivery.DeliveredTo = target;
        delivery.LastError = null;
        Finish(delivery, now);
        var entry = await LedgerEntryAsync(db, delivery, destination, facts, cancellationToken);
        entry.Result = LedgerResult.Delivered;
        entry.Error = null;
        entry.Target = target;
        entry.FileName = fileName;
        entry.ExportedAt = now;
        db.Append(time, EventKinds.ExportDelivered, new { delivery = delivery.Id, destination = destination.Name, kind = destination.Kind.ToString(), attempts = delivery.Attempts }, delivery.SeriesId);
    }

    /// <summary>Counts a failed attempt; returns true when the delivery is parked (permanent, or out of attempts).</summary>
    public static async Task<bool> FailedAsync(this DrawDbContext db, TimeProvider time, ExportDelivery delivery, ExportDestination? destination, ExportFacts? facts, string error, bool transient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(delivery);
        var now = time.GetUtcNow().UtcDateTime;
        delivery.Attempts++;
        delivery.LastError = error;
        delivery.UpdatedAt = now;
        var maxAttempts = destination?.MaxAttempts ?? 1;
        if (transient && destination is not null && delivery.Attempts < maxAttempts)
        {
            delivery.NextAttemptAt = now + DeliveryQueue.BackoffFor(destination, delivery.Attempts);
            ReleaseLease(delivery);
            db.Append(time, EventKinds.ExportRetrying, new { delivery = delivery.Id, destination = destination.Name, attempt = delivery.Attempts, next = delivery.NextAttemptAt }, delivery.SeriesId);
            return false;
        }

        delivery.State = DeliveryState.Failed;
        Finish(delivery, now);
        var entry = await LedgerEntryAsync(db, delivery, destination, facts, cancellationToken);
        entry.Result = LedgerResult.Failed;
        entry.Error = error;
        entry.ExportedAt = now;
        db.Append(time, EventKinds.ExportFailed, new { delivery = delivery.Id, destination = destination?.Name, attempts = delivery.Attempts }, delivery.SeriesId);
        return true;
    }

    private static void Finish(ExportDelivery delivery, DateTime now)
    {
        delivery.UpdatedAt = now;
        delivery.FinishedAt = now;
        ReleaseLease(delivery);
    }

    private static void ReleaseLease(ExportDelivery delivery)
    {
        delivery.LeaseOwner = null;
        delivery.LeaseUntil = null;
    }

    /// <summary>The delivery's one ledger row (a retried failure updates its row rather than adding one).</summary>
    private static async Task<ExportLedgerEntry> LedgerEntryAsync(DrawDbContext db, ExportDelivery delivery, ExportDestination? destination, ExportFacts? facts, CancellationToken cancellationToken)
    {
        var entry = await db.ExportLedger.FirstOrDefaultAsync(e => e.DeliveryId == delivery.Id, cancellationToken);
        if (entry is null)
        {
            entry = new ExportLedgerEntry
            {
                DeliveryId = delivery.Id,
                DestinationId = delivery.DestinationId,
                DestinationName = destination?.Name ?? $"(destination {delivery.DestinationId})",
                SopInstanceUid = delivery.SopInstanceUid,
                SourcePath = delivery.SourcePath,
                RequestedBy = delivery.RequestedBy,
            };
            db.ExportLedger.Add(entry);
        }

        entry.DestinationKind = destination?.Kind ?? entry.DestinationKind;
        entry.Sequence = delivery.Sequence;
        entry.Attempts = delivery.Attempts;
        entry.SeriesId = delivery.SeriesId;
        entry.JobId = delivery.JobId;
        entry.HarvestSourceId = delivery.HarvestSourceId;
        if (facts is not null)
        {
            entry.PatientId = facts.PatientId;
            entry.PatientName = facts.PatientName;
            entry.StudyDate = facts.StudyDate;
            entry.StudyTime = facts.StudyTime;
            entry.StudyDateTime = facts.StudyDateTime;
            entry.Modality = facts.Modality;
        }

        return entry;
    }
}
