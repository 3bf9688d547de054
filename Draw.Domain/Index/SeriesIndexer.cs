using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;

namespace Draw.Domain.Index;

/// <summary>A file ready to be indexed: its header, where it is, and when it arrived.</summary>
public sealed record ArrivedFile(InstanceHeader Header, string Path, long Size, DateTime ArrivedAt);

/// <summary>Where a batch came from; new series take its quiet period.</summary>
public sealed record ArrivalSource(SeriesSource Kind, long? SourceId, int QuietPeriodSeconds);

public enum IndexOutcome
{
    Indexed,

    /// <summary>Already indexed from this very path.</summary>
    AlreadyIndexed,

    /// <summary>The same SOP instance with the same content elsewhere: ignored.</summary>
    Duplicate,

    /// <summary>The same SOP instance with different content: recorded; the indexed file stays.</summary>
    Conflict,

    /// <summary>The indexed file is gone and the same SOP instance is at a new path: the index follows it.</summary>
    Moved,
}

/// <summary>
/// Puts arrived files into the index (patient, study, series, instance), recognising repeats and
/// late arrivals, one batch at a time: existing rows are looked up once per batch by UID, new rows
/// are written with multi-row INSERTs (no change tracking), and only the few existing series it
/// updates are tracked. It then adds the change-feed events (and any conflict rows) to the context:
/// the caller saves them, inside the transaction it opened around the whole batch (required: the
/// rows written here are already part of it).
/// </summary>
public sealed class SeriesIndexer(TimeProvider time)
{
    public async Task<IReadOnlyList<IndexOutcome>> IndexAsync(DrawDbContext db, IReadOnlyList<ArrivedFile> files, ArrivalSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(source);
        var outcomes = new IndexOutcome[files.Count];
        if (files.Count == 0)
        {
            return outcomes;
        }

        var batch = new IndexBatch(time.GetUtcNow().UtcDateTime);
        await batch.LoadAsync(db, files, cancellationToken);
        for (var n = 0; n < files.Count; n++)
        {
            outcomes[n] = batch.IndexedPaths.TryGetValue(files[n].Header.SopInstanceUid, out var indexed)
                ? await RepeatAsync(files[n], indexed.Path, indexed.SeriesId, batch, cancellationToken)
                : Add(files[n], source, batch);
        }

        await batch.WriteCreatedAsync(db, cancellationToken);
        await IndexRows.Instances.InsertAsync(db, batch.NewInstances, cancellationToken);
        await batch.WriteMovedAsync(db, cancellationToken);
        await IndexRows.FileOperations.InsertAsync(db, FileOperations(files, outcomes, batch), cancellationToken);
        RecordEvents(db, batch);
        return outcomes;
    }

    private static IndexOutcome Add(ArrivedFile file, ArrivalSource source, IndexBatch batch)
    {
        if (!batch.Series.TryGetValue(file.Header.SeriesInstanceUid, out var series))
        {
            series = NewSeries(file, source, batch.Now);
            batch.Series[series.SeriesInstanceUid] = series;
            batch.Created.Add((series, file.Header));
        }

        var late = !series.Status.IsOpen();
        batch.NewInstances.Add((new Instance
        {
            SopInstanceUid = file.Header.SopInstanceUid,
            SopClassUid = file.Header.SopClassUid,
            InstanceNumber = file.Header.InstanceNumber,
            Path = file.Path,
            Folder = batch.FolderOf(file.Path),
            FileSize = file.Size,
            ArrivedAt = file.ArrivedAt,
            Late = late,
        }, series));
        batch.IndexedPaths[file.Header.SopInstanceUid] = (file.Path, series.Id);
        series.FirstArrival = series.InstanceCount == 0 || file.ArrivedAt < series.FirstArrival ? file.ArrivedAt : series.FirstArrival;
        series.LastArrival = file.ArrivedAt > series.LastArrival ? file.ArrivedAt : series.LastArrival;
        series.InstanceCount++;
        var counts = batch.Arrived.GetValueOrDefault(series);
        batch.Arrived[series] = late ? (counts.All + 1, counts.Late + 1) : (counts.All + 1, counts.Late);
        if (late)
        {
            series.LateInstanceCount++;
        }

        return IndexOutcome.Indexed;
    }

    private static async Task<IndexOutcome> RepeatAsync(ArrivedFile file, string indexedPath, long seriesId, IndexBatch batch, CancellationToken cancellationToken)
    {
        if (string.Equals(indexedPath, file.Path, StringComparison.Ordinal))
        {
            return IndexOutcome.AlreadyIndexed;
        }

        if (!File.Exists(indexedPath))
        {
            // The indexed file is gone and the instance is here now: it moved, it is not a rival copy.
            batch.Moved.Add((file.Header.SopInstanceUid, file.Path, seriesId));
            batch.IndexedPaths[file.Header.SopInstanceUid] = (file.Path, seriesId);
            return IndexOutcome.Moved;
        }

        if (await FileContent.SameAsync(indexedPath, file.Path, cancellationToken))
        {
            return IndexOutcome.Duplicate;
        }

        var series = batch.Series.GetValueOrDefault(file.Header.SeriesInstanceUid);
        if (series is not null)
        {
            series.ConflictCount++;
        }

        batch.Conflicts.Add((new InstanceConflict
        {
            SopInstanceUid = file.Header.SopInstanceUid,
            IndexedPath = indexedPath,
            OtherPath = file.Path,
            DetectedAt = batch.Now,
        }, series, seriesId));
        return IndexOutcome.Conflict;
    }

    private static List<FileOperation> FileOperations(IReadOnlyList<ArrivedFile> files, IndexOutcome[] outcomes, IndexBatch batch)
    {
        var operations = new List<FileOperation>(files.Count);
        for (var n = 0; n < files.Count; n++)
        {
            if (outcomes[n] is IndexOutcome.Indexed or IndexOutcome.Moved)
            {
                operations.Add(new FileOperation
                {
                    Time = batch.Now,
                    Kind = FileOperationKind.Indexed,
                    Source = files[n].Path,
                    Result = outcomes[n] == IndexOutcome.Moved ? "ok: moved here" : "ok",
                    SeriesId = outcomes[n] == IndexOutcome.Moved
                        ? batch.IndexedPaths[files[n].Header.SopInstanceUid].SeriesId
                        : batch.Series[files[n].Header.SeriesInstanceUid].Id,
                });
            }
        }

        return operations;
    }

    private void RecordEvents(DrawDbContext db, IndexBatch batch)
    {
        foreach (var (series, _) in batch.Created)
        {
            db.Append(time, EventKinds.SeriesCreated, new { source = series.Source.ToString(), modality = series.Modality }, series.Id);
        }

        foreach (var (series, counts) in batch.Arrived)
        {
            db.Append(time, EventKinds.SeriesInstancesArrived, new { count = counts.All, total = series.InstanceCount }, series.Id);
            if (counts.Late > 0)
            {
                db.Append(time, EventKinds.SeriesLateInstance, new { count = counts.Late, status = series.Status.ToString() }, series.Id);
            }
            else if (series.Status == SeriesStatus.Unprocessed)
            {
                // Stable but not yet matched: a newcomer reopens it rather than being left out.
                db.ChangeStatus(time, series, SeriesStatus.Receiving, "a new instance arrived before matching");
            }
        }

        foreach (var (conflict, series, seriesId) in batch.Conflicts)
        {
            conflict.SeriesId = series?.Id ?? seriesId;
            db.InstanceConflicts.Add(conflict);
            db.Append(time, EventKinds.SeriesInstanceConflict, new { file = Path.GetFileName(conflict.OtherPath) }, conflict.SeriesId);
        }
    }

    private static Series NewSeries(ArrivedFile file, ArrivalSource source, DateTime now)
    {
        var header = file.Header;
        return new Series
        {
            SeriesInstanceUid = header.SeriesInstanceUid,
            Modality = header.Modality,
            Description = header.SeriesDescription,
            ProtocolName = header.ProtocolName,
            BodyPart = header.BodyPart,
            SeriesDate = header.SeriesDate,
            SeriesNumber = header.SeriesNumber,
            FrameOfReferenceUid = header.FrameOfReferenceUid,
            FirstArrival = file.ArrivedAt,
            LastArrival = file.ArrivedAt,
            Source = source.Kind,
            SourceId = source.SourceId,
            RootPath = Path.GetDirectoryName(file.Path),
            QuietPeriodSeconds = source.QuietPeriodSeconds,
            Status = SeriesStatus.Receiving,
            StatusChangedAt = now,
        };
    }
}
