using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

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
}

/// <summary>
/// Puts arrived files into the index (patient, study, series, instance), recognising repeats and
/// late arrivals. It saves the index rows (so events can name series ids) and then adds the
/// change-feed events and file-operation rows to the context: the caller commits them, inside the
/// transaction it opened around the whole batch.
/// </summary>
public sealed class SeriesIndexer(TimeProvider time)
{
    private const int QueryChunk = 500;

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

        var batch = new Batch(time.GetUtcNow().UtcDateTime);
        var sops = files.Select(f => f.Header.SopInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        foreach (var instance in await LoadInChunksAsync(sops, chunk => db.Instances.Where(i => chunk.Contains(i.SopInstanceUid)), cancellationToken))
        {
            batch.IndexedPaths[instance.SopInstanceUid] = (instance.Path, instance.SeriesId);
        }

        var seriesUids = files.Select(f => f.Header.SeriesInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        foreach (var series in await LoadInChunksAsync(seriesUids, chunk => db.Series.Where(s => chunk.Contains(s.SeriesInstanceUid)), cancellationToken))
        {
            batch.Series[series.SeriesInstanceUid] = series;
        }

        for (var n = 0; n < files.Count; n++)
        {
            outcomes[n] = batch.IndexedPaths.TryGetValue(files[n].Header.SopInstanceUid, out var indexed)
                ? await RepeatAsync(db, files[n], indexed.Path, indexed.SeriesId, batch, cancellationToken)
                : await AddAsync(db, files[n], source, batch, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        RecordEvents(db, files, outcomes, batch);
        return outcomes;
    }

    private static async Task<IndexOutcome> AddAsync(DrawDbContext db, ArrivedFile file, ArrivalSource source, Batch batch, CancellationToken cancellationToken)
    {
        if (!batch.Series.TryGetValue(file.Header.SeriesInstanceUid, out var series))
        {
            series = await CreateSeriesAsync(db, file, source, batch.Now, cancellationToken);
            batch.Series[series.SeriesInstanceUid] = series;
            batch.Created.Add(series);
        }

        var late = !series.Status.IsOpen();
        series.Instances.Add(new Instance
        {
            SopInstanceUid = file.Header.SopInstanceUid,
            SopClassUid = file.Header.SopClassUid,
            InstanceNumber = file.Header.InstanceNumber,
            Path = file.Path,
            Folder = System.IO.Path.GetDirectoryName(file.Path) ?? "",
            FileSize = file.Size,
            ArrivedAt = file.ArrivedAt,
            Late = late,
        });
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

    private static async Task<IndexOutcome> RepeatAsync(DrawDbContext db, ArrivedFile file, string indexedPath, long seriesId, Batch batch, CancellationToken cancellationToken)
    {
        if (string.Equals(indexedPath, file.Path, StringComparison.Ordinal))
        {
            return IndexOutcome.AlreadyIndexed;
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

    private void RecordEvents(DrawDbContext db, IReadOnlyList<ArrivedFile> files, IndexOutcome[] outcomes, Batch batch)
    {
        foreach (var series in batch.Created)
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

        for (var n = 0; n < files.Count; n++)
        {
            if (outcomes[n] == IndexOutcome.Indexed)
            {
                db.FileOperations.Add(new FileOperation
                {
                    Time = batch.Now,
                    Kind = FileOperationKind.Indexed,
                    Source = files[n].Path,
                    Result = "ok",
                    SeriesId = batch.Series[files[n].Header.SeriesInstanceUid].Id,
                });
            }
        }
    }

    private static async Task<Series> CreateSeriesAsync(DrawDbContext db, ArrivedFile file, ArrivalSource source, DateTime now, CancellationToken cancellationToken)
    {
        var header = file.Header;
        var study = db.Studies.Local.FirstOrDefault(s => s.StudyInstanceUid == header.StudyInstanceUid)
            ?? await db.Studies.FirstOrDefaultAsync(s => s.StudyInstanceUid == header.StudyInstanceUid, cancellationToken)
            ?? await CreateStudyAsync(db, header, now, cancellationToken);
        var series = new Series
        {
            SeriesInstanceUid = header.SeriesInstanceUid,
            Study = study,
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
        db.Series.Add(series);
        return series;
    }

    private static async Task<Study> CreateStudyAsync(DrawDbContext db, InstanceHeader header, DateTime now, CancellationToken cancellationToken)
    {
        var patient = db.Patients.Local.FirstOrDefault(p => p.PatientId == header.PatientId)
            ?? await db.Patients.FirstOrDefaultAsync(p => p.PatientId == header.PatientId, cancellationToken);
        if (patient is null)
        {
            patient = new Patient { PatientId = header.PatientId, Name = header.PatientName, BirthDate = header.BirthDate, Sex = header.Sex, CreatedAt = now };
            db.Patients.Add(patient);
        }

        var study = new Study
        {
            Patient = patient,
            StudyInstanceUid = header.StudyInstanceUid,
            StudyDate = header.StudyDate,
            StudyTime = header.StudyTime,
            StudyId = header.StudyId,
            AccessionNumber = header.AccessionNumber,
            Description = header.StudyDescription,
            CreatedAt = now,
        };
        db.Studies.Add(study);
        return study;
    }

    private static async Task<List<T>> LoadInChunksAsync<T>(List<string> keys, Func<List<string>, IQueryable<T>> query, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        for (var start = 0; start < keys.Count; start += QueryChunk)
        {
            var chunk = keys.GetRange(start, Math.Min(QueryChunk, keys.Count - start));
            result.AddRange(await query(chunk).ToListAsync(cancellationToken));
        }

        return result;
    }

    /// <summary>What one call has seen and changed so far.</summary>
    private sealed class Batch(DateTime now)
    {
        public DateTime Now { get; } = now;

        public Dictionary<string, (string Path, long SeriesId)> IndexedPaths { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public List<Series> Created { get; } = [];

        public Dictionary<Series, (int All, int Late)> Arrived { get; } = [];

        public List<(InstanceConflict Conflict, Series? Series, long SeriesId)> Conflicts { get; } = [];
    }
}
