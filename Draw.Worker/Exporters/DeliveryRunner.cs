using Draw.Domain.Export;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Exporters;

/// <summary>
/// Runs due deliveries one at a time: claims one with a lease, commits a folder target's name before
/// the copy, hands the file to the destination's exporter, and commits the outcome (delivered with
/// its ledger row, retried with the destination's backoff, or parked failed with its reason) with
/// its events in one transaction.
/// </summary>
internal sealed partial class DeliveryRunner(
    IDbContextFactory<DrawDbContext> contexts,
    IEnumerable<IExporter> exporters,
    WorkerIdentity identity,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<DeliveryRunner> logger)
{
    private readonly Dictionary<DestinationKind, IExporter> byKind = exporters.SelectMany(e => e.Kinds.Select(k => (Kind: k, Exporter: e))).ToDictionary(x => x.Kind, x => x.Exporter);

    /// <summary>Test seam: runs after the file reached its destination and before the outcome commits, where a crash must be survived.</summary>
    internal Func<ExportDelivery, Task>? AfterTransfer { get; set; }

    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        while (await RunOneAsync(cancellationToken))
        {
            ran++;
        }

        return ran;
    }

    public async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var delivery = await db.TryClaimNextDeliveryAsync(identity.Id, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (delivery is null)
        {
            return false;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["DeliveryId"] = delivery.Id, ["DestinationId"] = delivery.DestinationId });
        var destination = await db.ExportDestinations.AsNoTracking().Include(d => d.Nodes).FirstOrDefaultAsync(d => d.Id == delivery.DestinationId, cancellationToken);
        var (outcome, facts) = await AttemptAsync(db, delivery, destination, cancellationToken);
        if (outcome.Delivered && AfterTransfer is { } afterTransfer)
        {
            await afterTransfer(delivery);
        }

        if (outcome.Delivered)
        {
            await db.DeliveredAsync(time, delivery, destination!, facts!, outcome.Target!, outcome.FileName, cancellationToken);
            if (destination!.Kind is DestinationKind.Folder or DestinationKind.WriteBack)
            {
                db.FileOperations.Add(new FileOperation { Time = time.GetUtcNow().UtcDateTime, Kind = FileOperationKind.Exported, Source = delivery.SourcePath, Target = outcome.Target, Result = "ok", SeriesId = delivery.SeriesId });
            }

            LogDelivered(delivery.Id, destination.Name, delivery.Attempts);
        }
        else if (await db.FailedAsync(time, delivery, destination, facts, outcome.Error!, outcome.Transient, cancellationToken))
        {
            LogParked(delivery.Id, destination?.Name ?? "(removed)", delivery.Attempts);
        }
        else
        {
            LogRetrying(delivery.Id, destination!.Name, delivery.Attempts);
        }

        await db.SaveAndPublishAsync(publisher, cancellationToken);
        return true;
    }

    private async Task<(ExportOutcome Outcome, ExportFacts? Facts)> AttemptAsync(DrawDbContext db, ExportDelivery delivery, ExportDestination? destination, CancellationToken cancellationToken)
    {
        if (destination is null)
        {
            return (ExportOutcome.Refused("the destination was removed"), null);
        }

        if (!destination.Enabled)
        {
            return (ExportOutcome.Refused($"the destination '{destination.Name}' is disabled"), null);
        }

        if (!File.Exists(delivery.SourcePath))
        {
            return (ExportOutcome.Refused("the file to export is gone from where it was"), null);
        }

        ExportFacts facts;
        try
        {
            facts = ExportFacts.Read(delivery.SourcePath);
        }
        catch (InvalidExportFileException ex)
        {
            return (ExportOutcome.Refused($"the file cannot be exported: {ex.Message}"), null);
        }

        if (facts.SopInstanceUid != delivery.SopInstanceUid)
        {
            return (ExportOutcome.Refused("the file at the source path now holds another instance"), facts);
        }

        if (destination.Kind is DestinationKind.Folder or DestinationKind.WriteBack && delivery.TargetPath is null)
        {
            try
            {
                delivery.TargetPath = await ChooseTargetAsync(db, delivery, destination, facts, cancellationToken);
            }
            catch (InvalidPatternException ex)
            {
                return (ExportOutcome.Refused(ex.Message), facts);
            }

            // Committed before the copy: a repeat after a crash writes the very same file.
            delivery.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        try
        {
            return (await byKind[destination.Kind].ExportAsync(new ExportRequest(delivery, destination, facts), cancellationToken), facts);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (ExportOutcome.Retry(ex.Message), facts);
        }
    }

    private async Task<string> ChooseTargetAsync(DrawDbContext db, ExportDelivery delivery, ExportDestination destination, ExportFacts facts, CancellationToken cancellationToken)
    {
        var timestamp = time.GetLocalNow().DateTime;
        if (destination.Kind == DestinationKind.Folder)
        {
            return ExportNaming.FolderTarget(destination, facts, timestamp);
        }

        var folder = delivery.SeriesId is { } seriesId
            ? await db.Series.AsNoTracking().Where(s => s.Id == seriesId).Select(s => s.RootPath).FirstOrDefaultAsync(cancellationToken)
            : null;
        return folder is null
            ? throw new InvalidPatternException("write-back needs the series' own folder, and this file has none (a harvested file, or the series is gone)")
            : Path.Combine(folder, ExportNaming.WriteBackName(facts.PatientId, timestamp));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} to {Destination} done (attempt {Attempt})")]
    private partial void LogDelivered(long deliveryId, string destination, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to {Destination} failed (attempt {Attempt}); retrying later. The reason is on the delivery.")]
    private partial void LogRetrying(long deliveryId, string destination, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} to {Destination} parked as failed after {Attempt} attempts. The reason is on the delivery and in the ledger.")]
    private partial void LogParked(long deliveryId, string destination, int attempt);
}
