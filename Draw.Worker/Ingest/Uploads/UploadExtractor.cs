using System.IO.Compression;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Ingest.Uploads;

/// <summary>
/// Extracts uploaded zips, one at a time per upload (claimed with a lease), into their own folder
/// of the upload datastore: checked first, extracted into a staging folder, then moved into place
/// in one rename so a scan never sees half an upload. A refused zip is quarantined with its reason.
/// </summary>
internal sealed partial class UploadExtractor(
    IDbContextFactory<DrawDbContext> contexts,
    WorkerIdentity identity,
    DataRoot dataRoot,
    IOptions<IngestOptions> options,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<UploadExtractor> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    public string ExtractedRoot => Path.Combine(dataRoot.Path, "uploads", "extracted");

    /// <summary>Extracts every upload waiting (all of them, or only <paramref name="uploadId"/>); returns how many it handled.</summary>
    public async Task<int> ExtractPendingAsync(long? uploadId, CancellationToken cancellationToken)
    {
        var handled = 0;
        while (await ClaimAsync(uploadId, cancellationToken) is { } upload)
        {
            await ExtractAsync(upload, cancellationToken);
            handled++;
            if (uploadId is not null)
            {
                break;
            }
        }

        return handled;
    }

    private async Task<Upload?> ClaimAsync(long? uploadId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var automatic = options.Value.AutoExtract;
        var candidates = await db.Uploads.AsNoTracking()
            .Where(u => (uploadId == null ? automatic && u.Status == UploadStatus.Uploaded : u.Id == uploadId && u.Status == UploadStatus.Uploaded)
                || (u.Status == UploadStatus.Extracting && u.LeaseUntil < now))
            .OrderBy(u => u.Id).Select(u => u.Id).Take(4).ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            var until = now + Lease;
            var claimed = await db.Uploads
                .Where(u => u.Id == id && (u.Status == UploadStatus.Uploaded || (u.Status == UploadStatus.Extracting && u.LeaseUntil < now)))
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.Status, UploadStatus.Extracting).SetProperty(u => u.LeaseOwner, identity.Id).SetProperty(u => u.LeaseUntil, until), cancellationToken);
            if (claimed == 1)
            {
                return await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == id, cancellationToken);
            }
        }

        return null;
    }

    private async Task ExtractAsync(Upload upload, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(dataRoot.Path, "uploads", "staging", upload.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var target = Path.Combine(ExtractedRoot, $"upload-{upload.Id}");
        if (Directory.Exists(staging))
        {
            // A worker died half-way through this upload: start it again from the zip.
            Directory.Delete(staging, recursive: true);
        }

        string? refusal;
        var files = 0;
        try
        {
            using var archive = ZipFile.OpenRead(upload.StoredPath);
            refusal = ZipInspector.Refusal(archive, staging, options.Value);
            if (refusal is null)
            {
                (files, refusal) = await WriteEntriesAsync(archive, staging, cancellationToken);
            }
        }
        catch (InvalidDataException ex)
        {
            refusal = $"not a readable zip file ({ex.Message})";
        }
        catch (IOException ex)
        {
            // For example two entries with the same name: refuse rather than guess which one counts.
            refusal = $"an entry could not be written ({ex.Message})";
        }

        if (refusal is null)
        {
            Directory.CreateDirectory(ExtractedRoot);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
            await FinishAsync(upload.Id, UploadStatus.Extracted, null, target, files, cancellationToken);
            LogExtracted(upload.Id, files);
        }
        else
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            var quarantined = Quarantine(upload);
            await FinishAsync(upload.Id, UploadStatus.Failed, refusal, quarantined, 0, cancellationToken);
            LogRefused(upload.Id, refusal);
        }
    }

    /// <summary>Writes the entries, counting real bytes (sizes in the zip are not trusted) and looking inside for archives.</summary>
    private async Task<(int Files, string? Refusal)> WriteEntriesAsync(ZipArchive archive, string staging, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(staging);
        var limit = options.Value.ZipMaxTotalBytes;
        long written = 0;
        var files = 0;
        var buffer = new byte[81920];
        foreach (var entry in archive.Entries)
        {
            var path = Path.GetFullPath(Path.Combine(staging, entry.FullName));
            if (ZipInspector.IsDirectory(entry))
            {
                Directory.CreateDirectory(path);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var input = entry.Open();
            await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            var first = true;
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (first && ZipInspector.StartsLikeArchive(buffer.AsSpan(0, read)))
                {
                    return (files, $"entry '{entry.FullName}' is itself an archive (nested archives are not extracted)");
                }

                first = false;
                written += read;
                if (written > limit || output.Position + read > entry.Length)
                {
                    return (files, $"entry '{entry.FullName}' expands beyond its stated size or the total limit (zip bomb)");
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            files++;
        }

        return (files, null);
    }

    private string Quarantine(Upload upload)
    {
        var folder = Path.Combine(dataRoot.Quarantine, "uploads");
        Directory.CreateDirectory(folder);
        var destination = Path.Combine(folder, $"{upload.Id}-{SafeName.For(upload.FileName)}");
        if (File.Exists(upload.StoredPath))
        {
            File.Move(upload.StoredPath, destination, overwrite: true);
        }

        return destination;
    }

    private async Task FinishAsync(long uploadId, UploadStatus status, string? error, string target, int files, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var upload = await db.Uploads.SingleAsync(u => u.Id == uploadId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        upload.Status = status;
        upload.Error = error;
        upload.LeaseOwner = null;
        upload.LeaseUntil = null;
        upload.FilesExtracted = files;
        if (status == UploadStatus.Extracted)
        {
            upload.ExtractedAt = now;
            upload.TargetFolder = target;
            db.FileOperations.Add(new FileOperation { Time = now, Kind = FileOperationKind.Extracted, Source = upload.StoredPath, Target = target, Result = $"ok: {files} files" });
            db.Append(time, EventKinds.UploadExtracted, new { upload = upload.Id, files });
        }
        else
        {
            db.FileOperations.Add(new FileOperation { Time = now, Kind = FileOperationKind.Quarantined, Source = upload.StoredPath, Target = target, Result = error ?? "refused" });
            upload.StoredPath = target;
            db.Append(time, EventKinds.UploadFailed, new { upload = upload.Id, reason = error });
        }

        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} extracted: {Files} files")]
    private partial void LogExtracted(long uploadId, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId} refused and quarantined: {Reason}")]
    private partial void LogRefused(long uploadId, string reason);
}
