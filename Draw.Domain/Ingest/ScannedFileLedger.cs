using System.Data.Common;
using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Ingest;

/// <summary>What a scan already decided about a file: enough to tell whether it changed since.</summary>
public sealed record KnownFile(long Id, long Size, DateTime ModifiedAt);

/// <summary>
/// The scan's per-file bookkeeping (<see cref="ScannedFile"/> rows), read and written a folder at a
/// time without change tracking: a datastore holds hundreds of thousands of files, and a rescan
/// must stay cheap.
/// </summary>
public static class ScannedFileLedger
{
    private static readonly RowWriter<ScannedFile> Rows = new("ScannedFiles",
    [
        new("DatastoreId", f => f.DatastoreId),
        new("Path", f => f.Path),
        new("Folder", f => f.Folder),
        new("Size", f => f.Size),
        new("ModifiedAt", f => IndexRows.Utc(f.ModifiedAt)),
        new("Outcome", f => f.Outcome.ToString()),
        new("Reason", f => f.Reason),
        new("RunId", f => f.RunId),
        new("DecidedAt", f => IndexRows.Utc(f.DecidedAt)),
    ]);

    public static Task<Dictionary<string, KnownFile>> KnownInFolderAsync(this DrawDbContext db, long datastoreId, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ScannedFiles.AsNoTracking()
            .Where(f => f.DatastoreId == datastoreId && f.Folder == folder)
            .Select(f => new { f.Path, Known = new KnownFile(f.Id, f.Size, f.ModifiedAt) })
            .ToDictionaryAsync(f => f.Path, f => f.Known, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>Writes the decisions inside the caller's transaction: rows with an id are updated, the others inserted.</summary>
    public static async Task RecordAsync(this DrawDbContext db, IReadOnlyList<ScannedFile> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(decisions);
        await Rows.InsertAsync(db, [.. decisions.Where(d => d.Id == 0)], cancellationToken);
        var changed = decisions.Where(d => d.Id != 0).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await using var command = IndexSql.CreateCommand(db,
            "UPDATE \"ScannedFiles\" SET \"Size\" = @size, \"ModifiedAt\" = @modified, \"Outcome\" = @outcome, \"Reason\" = @reason, \"RunId\" = @run, \"DecidedAt\" = @decided WHERE \"Id\" = @id");
        var size = IndexSql.AddParameter(command, "@size", null);
        var modified = IndexSql.AddParameter(command, "@modified", null);
        var outcome = IndexSql.AddParameter(command, "@outcome", null);
        var reason = IndexSql.AddParameter(command, "@reason", null);
        var run = IndexSql.AddParameter(command, "@run", null);
        var decided = IndexSql.AddParameter(command, "@decided", null);
        var id = IndexSql.AddParameter(command, "@id", null);
        foreach (var row in changed)
        {
            size.Value = row.Size;
            modified.Value = IndexRows.Utc(row.ModifiedAt);
            outcome.Value = row.Outcome.ToString();
            reason.Value = (object?)row.Reason ?? DBNull.Value;
            run.Value = row.RunId;
            decided.Value = IndexRows.Utc(row.DecidedAt);
            id.Value = row.Id;
            await IndexSql.ExecuteAsync(command, scalar: false, cancellationToken);
        }
    }
}
