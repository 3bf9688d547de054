using Draw.Dicom.Core;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Server;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Listener;

/// <summary>
/// What the DICOM listener does with each received instance: files it under
/// incoming/PatientID/StudyUID/SeriesUID/SOPUID.dcm and indexes it at once, in that order; answers
/// success only when both are done, so the sender retries anything not kept. A file that cannot be
/// read is quarantined and refused; a repeat with the same content is acknowledged and dropped;
/// one with different content is kept in quarantine and recorded as a conflict.
/// </summary>
internal sealed partial class IngestStoreHandler(
    IDbContextFactory<DrawDbContext> contexts,
    SeriesIndexer indexer,
    DataRoot dataRoot,
    IOptions<IngestOptions> ingest,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<IngestStoreHandler> logger) : IDicomStoreHandler
{
    // Status codes of PS3.4 Annex B: refused (out of resources) and cannot understand.
    private static readonly DicomStatus OutOfResources = new(0xA700, "Refused: the receiver could not record the instance");
    private static readonly DicomStatus CannotUnderstand = new(0xC000, "Error: the data set could not be read");

    public string GetTemporaryFolder(DicomIncomingInstance instance)
    {
        // On the same file system as the final folders, so the rename into place is atomic.
        var folder = Path.Combine(dataRoot.Incoming, ".receiving");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async ValueTask<DicomStoreDecision> OnInstanceReceivedAsync(DicomIncomingInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        InstanceHeader header;
        try
        {
            header = InstanceHeader.From(instance.ReadHeader().Dataset);
        }
        catch (Exception ex) when (ex is DicomFormatException or MissingHeaderException)
        {
            await QuarantineAsync(instance.TemporaryFile, "unreadable", ex.Message, cancellationToken);
            return DicomStoreDecision.Refuse(CannotUnderstand);
        }

        var final = Path.Combine(dataRoot.Incoming, SafeName.For(header.PatientId), SafeName.For(header.StudyInstanceUid),
            SafeName.For(header.SeriesInstanceUid), SafeName.For(header.SopInstanceUid) + ".dcm");
        var arrivedAt = time.GetUtcNow().UtcDateTime;
        var size = new FileInfo(instance.TemporaryFile).Length;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var indexedPath = await db.Instances.AsNoTracking().Where(i => i.SopInstanceUid == header.SopInstanceUid).Select(i => i.Path).FirstOrDefaultAsync(cancellationToken);
            if (indexedPath is not null)
            {
                if (await FileContent.SameAsync(indexedPath, instance.TemporaryFile, cancellationToken))
                {
                    // Sent again, unchanged: acknowledge and keep the one copy we have.
                    return DicomStoreDecision.Refuse(DicomStatus.Success);
                }

                var kept = await QuarantineAsync(instance.TemporaryFile, "conflicts", "same SOP instance, different content", cancellationToken);
                await RecordConflictAsync(header, indexedPath, kept, cancellationToken);
                return DicomStoreDecision.Refuse(DicomStatus.Success);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await indexer.IndexAsync(db, [new ArrivedFile(header, final, size, arrivedAt)], new ArrivalSource(SeriesSource.Listener, null, ingest.Value.ListenerQuietPeriodSeconds), cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(instance.TemporaryFile, final, overwrite: true);
            db.FileOperations.Add(new FileOperation { Time = arrivedAt, Kind = FileOperationKind.Received, Source = $"{instance.CallingAeTitle}@{instance.RemoteEndPoint}", Target = final, Result = "ok" });
            await db.SaveAndPublishAsync(publisher, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new DicomStoreDecision(DicomStatus.Success, null);
        }
        catch (Exception ex) when (ex is DbUpdateException or IOException or InvalidOperationException)
        {
            // Nothing half-done stays: the transaction rolls back and the file goes back to be deleted.
            LogNotRecorded(ex.Message);
            if (File.Exists(final) && !File.Exists(instance.TemporaryFile))
            {
                File.Move(final, instance.TemporaryFile);
            }

            return DicomStoreDecision.Refuse(OutOfResources);
        }
    }

    private async Task<string> QuarantineAsync(string file, string kind, string reason, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(dataRoot.Quarantine, "listener", kind);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, $"{time.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.dcm");
        File.Move(file, target);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.FileOperations.Add(new FileOperation { Time = time.GetUtcNow().UtcDateTime, Kind = FileOperationKind.Quarantined, Source = "listener", Target = target, Result = reason });
        await db.SaveChangesAsync(cancellationToken);
        LogQuarantined(kind, reason);
        return target;
    }

    private async Task RecordConflictAsync(InstanceHeader header, string indexedPath, string otherPath, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.FirstOrDefaultAsync(s => s.SeriesInstanceUid == header.SeriesInstanceUid, cancellationToken);
        if (series is not null)
        {
            series.ConflictCount++;
        }

        db.InstanceConflicts.Add(new InstanceConflict { SeriesId = series?.Id ?? 0, SopInstanceUid = header.SopInstanceUid, IndexedPath = indexedPath, OtherPath = otherPath, DetectedAt = time.GetUtcNow().UtcDateTime });
        db.Append(time, EventKinds.SeriesInstanceConflict, new { source = "listener" }, series?.Id);
        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A received instance was quarantined ({Kind}): {Reason}")]
    private partial void LogQuarantined(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A received instance could not be recorded; the sender was told to retry: {Reason}")]
    private partial void LogNotRecorded(string reason);
}
