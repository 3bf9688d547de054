using System.Threading.Channels;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Ingest;

/// <summary>
/// One scan of one datastore: takes the lease, walks the folders in a fixed order (resuming after
/// an interrupted run's checkpoint), decides each new or changed file, indexes what qualifies, and
/// records everything, one transaction per folder. Files are never modified.
/// </summary>
internal sealed partial class DatastoreScanner(
    IDbContextFactory<DrawDbContext> contexts,
    SeriesIndexer indexer,
    WorkerIdentity identity,
    DataRoot dataRoot,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<DatastoreScanner> logger)
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>Raised after each folder's transaction commits (progress for logs, the board and tests).</summary>
    public event Action<string>? FolderCommitted;

    /// <summary>Scans once; returns the finished run, or null when another worker holds the lease.</summary>
    public async Task<DatastoreRun?> ScanAsync(long datastoreId, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.TryTakeAsync(datastoreId, identity.Id, Now, LeaseDuration, cancellationToken))
            {
                return null;
            }
        }

        var run = await StartRunAsync(datastoreId, cancellationToken);
        try
        {
            await WalkAsync(datastoreId, run, cancellationToken);
            await FinishAsync(datastoreId, run, DatastoreRunStatus.Completed, null, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(datastoreId, run, DatastoreRunStatus.Interrupted, "stopped before the end; the next run resumes", CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbUpdateException or LeaseLostException)
        {
            LogScanFailed(datastoreId, ex.Message);
            await FinishAsync(datastoreId, run, DatastoreRunStatus.Failed, ex.Message, CancellationToken.None);
        }

        return run;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<DatastoreRun> StartRunAsync(long datastoreId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A run still marked running here was cut short (its worker died): say so.
        await db.DatastoreRuns.Where(r => r.DatastoreId == datastoreId && r.Status == DatastoreRunStatus.Running)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, DatastoreRunStatus.Interrupted), cancellationToken);
        var run = new DatastoreRun { DatastoreId = datastoreId, Worker = identity.Id, StartedAt = Now, Status = DatastoreRunStatus.Running };
        db.DatastoreRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    private async Task WalkAsync(long datastoreId, DatastoreRun run, CancellationToken cancellationToken)
    {
        Datastore datastore;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            datastore = await db.Datastores.AsNoTracking().SingleAsync(d => d.Id == datastoreId, cancellationToken);
        }

        if (!Directory.Exists(datastore.Path))
        {
            throw new IOException($"The datastore folder {datastore.Path} does not exist or is not mounted.");
        }

        // Reading headers and writing the index overlap: the reader runs up to two folders ahead.
        var source = new ArrivalSource(datastore.Kind == DatastoreKind.Uploads ? SeriesSource.Upload : SeriesSource.Datastore, datastore.Id, datastore.QuietPeriodSeconds);
        var folders = Channel.CreateBounded<FolderScan>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadFoldersAsync(datastore, folders.Writer, stopReading.Token), CancellationToken.None);
        try
        {
            await foreach (var scan in folders.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteFolderAsync(datastore, source, scan, run, cancellationToken);
            }
        }
        catch (Exception)
        {
            await stopReading.CancelAsync();
            await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        // The reader's own failure (a vanished share, cancellation) surfaces here.
        await reading;
    }

    private async Task ReadFoldersAsync(Datastore datastore, ChannelWriter<FolderScan> folders, CancellationToken cancellationToken)
    {
        try
        {
            var reader = new FolderReader(contexts, datastore, new ScanFilter(datastore));
            var resumeAfter = datastore.Checkpoint;
            foreach (var folder in FolderWalker.Walk(Path.GetFullPath(datastore.Path), datastore.Recursive))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (resumeAfter is not null && FolderWalker.Compare(folder, resumeAfter) <= 0)
                {
                    continue;
                }

                if (await reader.ReadAsync(folder, Now, LogFolderUnreadable, cancellationToken) is { } scan)
                {
                    await folders.WriteAsync(scan, cancellationToken);
                }
            }
        }
        finally
        {
            folders.Complete();
        }
    }

    /// <summary>One folder, one transaction: index rows, bookkeeping, events, run counters and checkpoint together.</summary>
    private async Task WriteFolderAsync(Datastore datastore, ArrivalSource source, FolderScan scan, DatastoreRun run, CancellationToken cancellationToken)
    {
        var now = scan.Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Renewed inside the folder's transaction: one commit (one flush to disk) per folder instead of two, and the
        // renewed lease row stays locked until the folder's rows are committed.
        if (!await db.RenewAsync(datastore.Id, identity.Id, Now, LeaseDuration, cancellationToken))
        {
            throw new LeaseLostException($"Another worker took over the scan of datastore {datastore.Id}.");
        }

        run.FilesSeen += scan.Seen;
        run.FilesAlreadyKnown += scan.AlreadyKnown;
        run.FilesTooRecent += scan.TooRecent;
        var folder = scan.Folder;
        var candidates = scan.Candidates;
        var decisions = scan.Decisions;
        var copies = datastore.CopyToWork && candidates.Count > 0 ? CopyToWork(datastore, run, folder, candidates) : null;
        var arrived = candidates.Select((c, n) => new ArrivedFile(c.Header, copies?[n] ?? c.File.FullName, c.File.Length, c.File.LastWriteTimeUtc)).ToList();
        var outcomes = await indexer.IndexAsync(db, arrived, source, cancellationToken);
        for (var n = 0; n < candidates.Count; n++)
        {
            decisions.Add((candidates[n].File, outcomes[n] switch
            {
                IndexOutcome.Duplicate => ScanOutcome.Duplicate,
                IndexOutcome.Conflict => ScanOutcome.Conflict,
                _ => ScanOutcome.Indexed,
            }, null));
        }

        await db.RecordAsync(Decide(datastore.Id, folder, run, decisions, scan.Known, now), cancellationToken);
        if (candidates.Count > 0)
        {
            await RecordFolderAsync(db, datastore, folder, scan.Files, run, copies is null ? null : Path.GetDirectoryName(copies[0]), now, cancellationToken);
        }

        if (scan.NewestTooRecent is { } recent)
        {
            // Files of an open series still changing here keep that series from counting as complete.
            await db.Series.Where(s => s.RootPath == folder && s.Status == SeriesStatus.Receiving && s.LastArrival < recent)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastArrival, recent), cancellationToken);
        }

        run.SeriesTouched += arrived.Select(a => a.Header.SeriesInstanceUid).Distinct(StringComparer.Ordinal).Count();
        db.DatastoreRuns.Attach(run).State = EntityState.Modified;
        await db.Datastores.Where(d => d.Id == datastore.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Checkpoint, folder).SetProperty(d => d.CheckpointRunId, run.Id), cancellationToken);
        await db.SaveAndPublishAsync(publisher, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        FolderCommitted?.Invoke(folder);
    }

    private static List<ScannedFile> Decide(long datastoreId, string folder, DatastoreRun run, List<(FileInfo File, ScanOutcome Outcome, string? Reason)> decisions, Dictionary<string, KnownFile> known, DateTime now)
    {
        var rows = new List<ScannedFile>(decisions.Count);
        foreach (var (file, outcome, reason) in decisions)
        {
            Count(run, outcome);
            rows.Add(new ScannedFile
            {
                Id = known.TryGetValue(file.FullName, out var row) ? row.Id : 0,
                DatastoreId = datastoreId,
                Path = file.FullName,
                Folder = folder,
                Size = file.Length,
                ModifiedAt = file.LastWriteTimeUtc,
                Outcome = outcome,
                Reason = reason,
                RunId = run.Id,
                DecidedAt = now,
            });
        }

        return rows;
    }

    private static void Count(DatastoreRun run, ScanOutcome outcome)
    {
        switch (outcome)
        {
            case ScanOutcome.Indexed: run.FilesIndexed++; break;
            case ScanOutcome.NonDicom: run.NonDicom++; break;
            case ScanOutcome.Corrupt: run.Corrupt++; break;
            case ScanOutcome.OtherModality: run.OtherModality++; break;
            case ScanOutcome.Localizer: run.Localizers++; break;
            case ScanOutcome.BeforeWindow: run.FilesBeforeWindow++; break;
            case ScanOutcome.Duplicate: run.Duplicates++; break;
            case ScanOutcome.Conflict: run.Conflicts++; break;
        }
    }

    private List<string> CopyToWork(Datastore datastore, DatastoreRun run, string folder, List<(FileInfo File, InstanceHeader Header)> candidates)
    {
        var target = Path.Combine(dataRoot.Work, "datastores", datastore.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{run.Id}-{SafeName.For(Path.GetRelativePath(datastore.Path, folder))}");
        Directory.CreateDirectory(target);
        var copies = new List<string>(candidates.Count);
        foreach (var (file, _) in candidates)
        {
            var destination = Path.Combine(target, file.Name);
            var temporary = destination + ".part";
            file.CopyTo(temporary, overwrite: true);
            File.Move(temporary, destination, overwrite: true);
            copies.Add(destination);
        }

        return copies;
    }

    private static async Task RecordFolderAsync(DrawDbContext db, Datastore datastore, string folder, FileInfo[] files, DatastoreRun run, string? target, DateTime now, CancellationToken cancellationToken)
    {
        var record = await db.CopiedFolders.FirstOrDefaultAsync(f => f.DatastoreId == datastore.Id && f.SourcePath == folder, cancellationToken);
        if (record is null)
        {
            record = new CopiedFolder { DatastoreId = datastore.Id, SourcePath = folder };
            db.CopiedFolders.Add(record);
        }

        record.SizeBytes = files.Sum(f => f.Length);
        record.FileCount = files.Length;
        record.ModifiedAt = new DirectoryInfo(folder).LastWriteTimeUtc;
        record.RunId = run.Id;
        record.RecordedAt = now;
        if (target is not null)
        {
            record.TargetPath = target;
            record.CopiedAt = now;
            db.FileOperations.Add(new FileOperation { Time = now, Kind = FileOperationKind.Copied, Source = folder, Target = target, Result = "ok" });
        }
    }

    private async Task FinishAsync(long datastoreId, DatastoreRun run, DatastoreRunStatus status, string? error, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        run.Status = status;
        run.FinishedAt = Now;
        run.Error = error;
        db.DatastoreRuns.Attach(run).State = EntityState.Modified;
        var summary = $"{status}: {run.FilesIndexed} indexed, {run.FilesTooRecent} waiting for quiet, {run.NonDicom} not DICOM, {run.Corrupt} corrupt";
        var completed = status == DatastoreRunStatus.Completed;
        await db.Datastores.Where(d => d.Id == datastoreId).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.LastRunAt, run.FinishedAt)
            .SetProperty(d => d.LastRunResult, error == null ? summary : summary + ": " + error)
            .SetProperty(d => d.Checkpoint, d => completed ? null : d.Checkpoint)
            .SetProperty(d => d.CheckpointRunId, d => completed ? null : d.CheckpointRunId), cancellationToken);
        db.Append(time, EventKinds.DatastoreScanned, new
        {
            datastore = datastoreId,
            status = status.ToString(),
            indexed = run.FilesIndexed,
            waiting = run.FilesTooRecent,
            nonDicom = run.NonDicom,
            corrupt = run.Corrupt,
            duplicates = run.Duplicates,
            conflicts = run.Conflicts,
        });
        await db.SaveAndPublishAsync(publisher, cancellationToken);
        await db.ReleaseAsync(datastoreId, identity.Id, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scan of datastore {DatastoreId} failed: {Reason}")]
    private partial void LogScanFailed(long datastoreId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A datastore folder could not be listed: {Reason}")]
    private partial void LogFolderUnreadable(string reason);
}

/// <summary>The scan lease went to another worker (this one stalled past it): stop, do not double-index.</summary>
internal sealed class LeaseLostException(string message) : Exception(message);
