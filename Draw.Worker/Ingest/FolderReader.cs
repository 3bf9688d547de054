using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Ingest;

/// <summary>What the reading stage learned about one folder, handed to the writing stage.</summary>
internal sealed record FolderScan(string Folder, FileInfo[] Files, DateTime Now, Dictionary<string, KnownFile> Known)
{
    public List<(FileInfo File, InstanceHeader Header)> Candidates { get; } = [];

    public List<(FileInfo File, ScanOutcome Outcome, string? Reason)> Decisions { get; } = [];

    public DateTime? NewestTooRecent { get; set; }

    public int Seen { get; set; }

    public int AlreadyKnown { get; set; }

    public int TooRecent { get; set; }
}

/// <summary>
/// The reading stage of a scan: lists a folder, sets aside files already decided or still changing,
/// and reads the other headers in parallel. It touches the database only to read what is known,
/// so it runs ahead of the writing stage (the page cache serves every core at once).
/// </summary>
internal sealed class FolderReader(IDbContextFactory<DrawDbContext> contexts, Datastore datastore, ScanFilter filter)
{
    /// <summary>Null when the folder cannot be listed (logged by the caller through <paramref name="unreadable"/>).</summary>
    public async Task<FolderScan?> ReadAsync(string folder, DateTime now, Action<string> unreadable, CancellationToken cancellationToken)
    {
        var folderInfo = new DirectoryInfo(folder);
        FileInfo[] files;
        try
        {
            files = folderInfo.GetFiles();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            unreadable(ex.Message);
            return null;
        }

        Dictionary<string, KnownFile> known;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            known = await db.KnownInFolderAsync(datastore.Id, folder, cancellationToken);
        }

        var scan = new FolderScan(folder, files, now, known);
        var quiet = TimeSpan.FromSeconds(datastore.QuietPeriodSeconds);
        var folderModified = folderInfo.LastWriteTimeUtc;
        var toRead = new List<FileInfo>();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (IsInProgress(file.Name))
            {
                continue;
            }

            scan.Seen++;
            var modified = file.LastWriteTimeUtc;
            if (known.TryGetValue(file.FullName, out var decided) && decided.Size == file.Length && decided.ModifiedAt == modified)
            {
                scan.AlreadyKnown++;
                continue;
            }

            var changedLast = modified > folderModified ? modified : folderModified;
            if (now - changedLast < quiet)
            {
                scan.TooRecent++;
                scan.NewestTooRecent = scan.NewestTooRecent is { } n && n > modified ? n : modified;
                continue;
            }

            if (filter.BeforeWindow(modified))
            {
                scan.Decisions.Add((file, ScanOutcome.BeforeWindow, "modified before the pull window"));
                continue;
            }

            toRead.Add(file);
        }

        var read = new (InstanceHeader? Header, ScanOutcome Outcome, string? Reason)[toRead.Count];
        // Headers are independent and the page cache serves every core at once: one reader per core takes the
        // next file until none is left (Parallel.For's spinning workers cost more CPU than they saved here).
        var workers = Math.Min(Environment.ProcessorCount, Math.Max(1, toRead.Count / 16));
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() =>
        {
            // A folder is mostly one series: its repeated text is decoded once per reader and shared by its headers.
            var texts = new HeaderTextCache();
            for (var n = Interlocked.Increment(ref next); n < toRead.Count; n = Interlocked.Increment(ref next))
            {
                cancellationToken.ThrowIfCancellationRequested();
                read[n] = ReadHeader(toRead[n], filter, texts);
            }
        }, cancellationToken)));
        for (var n = 0; n < toRead.Count; n++)
        {
            if (read[n].Header is { } header)
            {
                scan.Candidates.Add((toRead[n], header));
            }
            else
            {
                scan.Decisions.Add((toRead[n], read[n].Outcome, read[n].Reason));
            }
        }

        return scan;
    }

    /// <summary>Hidden and partial files are someone's write in progress (ours included): never read them.</summary>
    private static bool IsInProgress(string name) =>
        name.StartsWith('.') || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase);

    private static (InstanceHeader? Header, ScanOutcome Outcome, string? Reason) ReadHeader(FileInfo file, ScanFilter filter, HeaderTextCache texts)
    {
        try
        {
            // One open and one read: the DICOM test looks at the first bytes the header read fetches anyway.
            if (DicomFileReader.ReadIfDicom(file.FullName, InstanceHeader.ReadOptions) is not { } dicom)
            {
                return (null, ScanOutcome.NonDicom, null);
            }

            var header = InstanceHeader.From(dicom.Dataset, texts);
            return filter.Exclude(header) is { } excluded ? (null, excluded, null) : (header, ScanOutcome.Indexed, null);
        }
        catch (DicomFormatException ex)
        {
            return (null, ScanOutcome.Corrupt, ex.Message);
        }
        catch (MissingHeaderException ex)
        {
            return (null, ScanOutcome.Corrupt, ex.Message);
        }
        catch (IOException ex)
        {
            return (null, ScanOutcome.Corrupt, "unreadable: " + ex.Message);
        }
    }
}
