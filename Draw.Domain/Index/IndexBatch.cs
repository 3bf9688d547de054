using System.Data.Common;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Index;

/// <summary>
/// What one <see cref="SeriesIndexer.IndexAsync"/> call has seen and decided: the existing rows it
/// looked up once (by UID), and the new rows it will write together.
/// </summary>
internal sealed class IndexBatch(DateTime now)
{
    private const int QueryChunk = 500;

    public DateTime Now { get; } = now;

    /// <summary>Every SOP instance known so far: the indexed rows, then this batch's own.</summary>
    public Dictionary<string, (string Path, long SeriesId)> IndexedPaths { get; } = new(StringComparer.Ordinal);

    /// <summary>Series by UID: existing ones tracked by the context (few, updated), new ones not yet written.</summary>
    public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

    public List<(Series Series, InstanceHeader Header)> Created { get; } = [];

    public List<(Instance Row, Series Series)> NewInstances { get; } = [];

    public Dictionary<Series, (int All, int Late)> Arrived { get; } = [];

    public List<(InstanceConflict Conflict, Series? Series, long SeriesId)> Conflicts { get; } = [];

    /// <summary>Instances whose indexed file is gone and which turned up at a new path.</summary>
    public List<(string SopInstanceUid, string Path, long SeriesId)> Moved { get; } = [];

    private string _lastFolder = "";

    /// <summary>The folder of <paramref name="path"/>; one string per folder, as a batch is mostly one folder.</summary>
    public string FolderOf(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path.AsSpan());
        if (!folder.SequenceEqual(_lastFolder))
        {
            _lastFolder = folder.ToString();
        }

        return _lastFolder;
    }

    /// <summary>Looks up, once for the whole batch, the instances and series the files name.</summary>
    public async Task LoadAsync(DrawDbContext db, IReadOnlyList<ArrivedFile> files, CancellationToken cancellationToken)
    {
        var sops = files.Select(f => f.Header.SopInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        if (db.Database.IsSqlite())
        {
            LoadIndexedSqlite(db, sops);
        }
        else
        {
            await LoadIndexedAsync(db, sops, cancellationToken);
        }

        var seriesUids = files.Select(f => f.Header.SeriesInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        foreach (var series in await LoadInChunksAsync(seriesUids, chunk => db.Series.Where(s => chunk.Contains(s.SeriesInstanceUid)), cancellationToken))
        {
            Series[series.SeriesInstanceUid] = series;
        }
    }

    private async Task LoadIndexedAsync(DrawDbContext db, List<string> sops, CancellationToken cancellationToken)
    {
        foreach (var (sop, path, seriesId) in await LoadInChunksAsync(sops, chunk => db.Instances.AsNoTracking()
            .Where(i => chunk.Contains(i.SopInstanceUid)).Select(i => new ValueTuple<string, string, long>(i.SopInstanceUid, i.Path, i.SeriesId)), cancellationToken))
        {
            IndexedPaths[sop] = (path, seriesId);
        }
    }

    /// <summary>
    /// SQLite: one prepared lookup per UID on the unique index. EF would rebuild its SQL for every
    /// collection parameter and serialise the UIDs to JSON, which cost more than the lookups themselves.
    /// </summary>
    private void LoadIndexedSqlite(DrawDbContext db, List<string> sops)
    {
        using var lookup = SqliteStatement.Prepare(db, "SELECT \"Path\", \"SeriesId\" FROM \"Instances\" WHERE \"SopInstanceUid\" = ?1");
        try
        {
            foreach (var sop in sops)
            {
                lookup.Bind(1, sop);
                if (lookup.Read())
                {
                    IndexedPaths[sop] = (lookup.Text(0), lookup.Int64(1));
                    lookup.Reset();
                }
            }
        }
        catch (DbException ex)
        {
            throw IndexSql.Failed(ex);
        }
    }

    /// <summary>Writes the new patients, studies and series (few; each needs its id back), reusing existing ones by UID.</summary>
    public async Task WriteCreatedAsync(DrawDbContext db, CancellationToken cancellationToken)
    {
        if (Created.Count == 0)
        {
            return;
        }

        var studyUids = Created.Select(c => c.Header.StudyInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        var studies = (await LoadInChunksAsync(studyUids, chunk => db.Studies.AsNoTracking()
                .Where(s => chunk.Contains(s.StudyInstanceUid)).Select(s => new ValueTuple<string, long>(s.StudyInstanceUid, s.Id)), cancellationToken))
            .ToDictionary(s => s.Item1, s => s.Item2, StringComparer.Ordinal);
        var patientIds = Created.Where(c => !studies.ContainsKey(c.Header.StudyInstanceUid)).Select(c => c.Header.PatientId).Distinct(StringComparer.Ordinal).ToList();
        var patients = (await LoadInChunksAsync(patientIds, chunk => db.Patients.AsNoTracking()
                .Where(p => chunk.Contains(p.PatientId)).Select(p => new ValueTuple<string, long>(p.PatientId, p.Id)), cancellationToken))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        foreach (var (series, header) in Created)
        {
            if (!studies.TryGetValue(header.StudyInstanceUid, out var studyId))
            {
                if (!patients.TryGetValue(header.PatientId, out var patientId))
                {
                    var patient = new Patient { PatientId = header.PatientId, Name = header.PatientName, BirthDate = header.BirthDate, Sex = header.Sex, CreatedAt = Now };
                    patientId = await IndexRows.Patients.InsertReturningIdAsync(db, patient, cancellationToken);
                    patients[header.PatientId] = patientId;
                }

                var study = new Study
                {
                    PatientId = patientId,
                    StudyInstanceUid = header.StudyInstanceUid,
                    StudyDate = header.StudyDate,
                    StudyTime = header.StudyTime,
                    StudyId = header.StudyId,
                    AccessionNumber = header.AccessionNumber,
                    Description = header.StudyDescription,
                    CreatedAt = Now,
                };
                studyId = await IndexRows.Studies.InsertReturningIdAsync(db, study, cancellationToken);
                studies[header.StudyInstanceUid] = studyId;
            }

            series.StudyId = studyId;
            series.Id = await IndexRows.Series.InsertReturningIdAsync(db, series, cancellationToken);
        }
    }

    /// <summary>Points moved instances at the file where they are now.</summary>
    public async Task WriteMovedAsync(DrawDbContext db, CancellationToken cancellationToken)
    {
        if (Moved.Count == 0)
        {
            return;
        }

        await using var command = IndexSql.CreateCommand(db, "UPDATE \"Instances\" SET \"Path\" = @path, \"Folder\" = @folder WHERE \"SopInstanceUid\" = @sop");
        var path = IndexSql.AddParameter(command, "@path", null);
        var folder = IndexSql.AddParameter(command, "@folder", null);
        var sop = IndexSql.AddParameter(command, "@sop", null);
        foreach (var moved in Moved)
        {
            path.Value = moved.Path;
            folder.Value = FolderOf(moved.Path);
            sop.Value = moved.SopInstanceUid;
            await IndexSql.ExecuteAsync(command, scalar: false, cancellationToken);
        }
    }

    private static async Task<List<TResult>> LoadInChunksAsync<TResult>(List<string> keys, Func<List<string>, IQueryable<TResult>> query, CancellationToken cancellationToken)
    {
        var result = new List<TResult>();
        for (var start = 0; start < keys.Count; start += QueryChunk)
        {
            var chunk = keys.GetRange(start, Math.Min(QueryChunk, keys.Count - start));
            result.AddRange(await query(chunk).ToListAsync(cancellationToken));
        }

        return result;
    }
}
