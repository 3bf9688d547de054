using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export.Harvest;

/// <summary>What one scan decided about one file.</summary>
public sealed record HarvestFileResult(string Path, string Outcome, string? Detail);

public sealed record HarvestReport
{
    public string? Error { get; init; }

    public int Files { get; set; }

    public int TooRecent { get; set; }

    public int Unchanged { get; set; }

    public int RtStructs { get; set; }

    /// <summary>Deliveries created (one per RTSTRUCT and destination).</summary>
    public int Queued { get; set; }

    /// <summary>(RTSTRUCT, destination) pairs that already had a delivery: not sent again.</summary>
    public int AlreadyDelivered { get; set; }

    public int NotRtStruct { get; set; }

    public int Unreadable { get; set; }

    public List<HarvestFileResult> Results { get; } = [];

    /// <summary>A dry run's would-be deliveries, so a duplicate instance in the tree counts once.</summary>
    internal HashSet<(long DestinationId, string SopInstanceUid)> DryRunPlanned { get; } = [];

    public string Summary => Error ?? $"{Files} files: {RtStructs} RTSTRUCT ({Queued} deliveries queued, {AlreadyDelivered} already delivered), {NotRtStruct} other, {Unreadable} unreadable, {TooRecent} too recent, {Unchanged} unchanged";
}

/// <summary>
/// The harvest route: walks a results tree (every file, header-only reads), and queues each RTSTRUCT
/// to the source's destinations through the same deliveries and ledger as the pipeline, so a file
/// already delivered is not sent again. Each file is decided and committed on its own: a broken file
/// is recorded with its reason and never stops the run. Files changed within the quiet period wait.
/// </summary>
public sealed class HarvestScanner(TimeProvider time)
{
    public async Task<HarvestReport> ScanAsync(DrawDbContext db, HarvestSource source, bool dryRun, IEventPublisher? publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(source);
        var destinationIds = source.Destinations.Select(d => d.DestinationId).ToList();
        var destinations = await db.ExportDestinations.AsNoTracking().Where(d => destinationIds.Contains(d.Id) && d.Enabled).ToListAsync(cancellationToken);
        var report = !Directory.Exists(source.Path) ? new HarvestReport { Error = $"the folder {source.Path} does not exist" }
            : destinations.Count == 0 ? new HarvestReport { Error = "the harvest source has no enabled destination" }
            : new HarvestReport();
        if (report.Error is null)
        {
            var known = await db.HarvestedFiles.AsNoTracking().Where(f => f.HarvestSourceId == source.Id)
                .ToDictionaryAsync(f => f.Path, f => (f.Size, f.ModifiedAt), StringComparer.Ordinal, cancellationToken);
            foreach (var path in Walk(source.Path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                report.Files++;
                await DecideAsync(db, source, destinations, known, path, dryRun, report, cancellationToken);
            }
        }

        if (!dryRun && source.Id != 0)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.HarvestSources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(
                set => set.SetProperty(s => s.LastScanAt, now).SetProperty(s => s.LastScanResult, report.Summary), cancellationToken);
            db.Append(time, EventKinds.HarvestScanned, new { source = source.Name, report.Files, report.RtStructs, report.Queued, report.AlreadyDelivered, report.Unreadable, error = report.Error });
            _ = publisher is null ? await db.SaveChangesAsync(cancellationToken) : await db.SaveAndPublishAsync(publisher, cancellationToken);
        }

        return report;
    }

    private async Task DecideAsync(DrawDbContext db, HarvestSource source, List<ExportDestination> destinations, Dictionary<string, (long Size, DateTime ModifiedAt)> known, string path, bool dryRun, HarvestReport report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            _ = info.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            report.Unreadable++;
            report.Results.Add(new HarvestFileResult(path, "unreadable", ex.Message));
            return;
        }

        if (now - info.LastWriteTimeUtc < TimeSpan.FromSeconds(source.QuietPeriodSeconds))
        {
            report.TooRecent++;
            return;
        }

        // Within a millisecond: the databases keep microseconds at best, the file system 100 ns ticks.
        if (known.TryGetValue(path, out var seen) && seen.Size == info.Length && Math.Abs((seen.ModifiedAt - info.LastWriteTimeUtc).Ticks) < TimeSpan.TicksPerMillisecond)
        {
            report.Unchanged++;
            return;
        }

        var record = new HarvestedFile { HarvestSourceId = source.Id, Path = path, Size = info.Length, ModifiedAt = info.LastWriteTimeUtc, DecidedAt = now };
        try
        {
            var facts = ExportFacts.Read(path);
            record.SopInstanceUid = facts.SopInstanceUid;
            if (!facts.IsRtStruct)
            {
                record.Outcome = HarvestOutcome.NotRtStruct;
                record.Reason = $"Modality {facts.Modality ?? "(none)"}, not an RTSTRUCT";
                report.NotRtStruct++;
            }
            else
            {
                record.Outcome = HarvestOutcome.Queued;
                report.RtStructs++;
                var fresh = 0;
                foreach (var destination in destinations)
                {
                    var created = dryRun
                        ? report.DryRunPlanned.Add((destination.Id, facts.SopInstanceUid)) && !await db.ExportDeliveries.AnyAsync(d => d.DestinationId == destination.Id && d.SopInstanceUid == facts.SopInstanceUid, cancellationToken)
                        : (await db.EnsureDeliveryAsync(time, new DeliveryRequest(destination.Id, facts.SopInstanceUid, path, "harvest") { HarvestSourceId = source.Id }, cancellationToken)).Created;
                    fresh += created ? 1 : 0;
                }

                report.Queued += fresh;
                report.AlreadyDelivered += destinations.Count - fresh;
                record.Reason = fresh == destinations.Count ? null : $"{destinations.Count - fresh} of {destinations.Count} destinations already had this instance";
            }
        }
        catch (InvalidExportFileException ex)
        {
            record.Outcome = HarvestOutcome.Unreadable;
            record.Reason = ex.Message;
            report.Unreadable++;
        }

        report.Results.Add(new HarvestFileResult(path, record.Outcome.ToString(), record.Reason));
        if (!dryRun)
        {
            await SaveRecordAsync(db, record, cancellationToken);
            known[path] = (record.Size, record.ModifiedAt);
        }
    }

    /// <summary>One commit per file: its deliveries and its record together.</summary>
    private static async Task SaveRecordAsync(DrawDbContext db, HarvestedFile record, CancellationToken cancellationToken)
    {
        var existing = await db.HarvestedFiles.FirstOrDefaultAsync(f => f.HarvestSourceId == record.HarvestSourceId && f.Path == record.Path, cancellationToken);
        if (existing is null)
        {
            db.HarvestedFiles.Add(record);
        }
        else
        {
            existing.Size = record.Size;
            existing.ModifiedAt = record.ModifiedAt;
            existing.Outcome = record.Outcome;
            existing.Reason = record.Reason;
            existing.SopInstanceUid = record.SopInstanceUid;
            existing.DecidedAt = record.DecidedAt;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>Every file under the root in a stable order, skipping hidden names (partial copies, probes).</summary>
    private static List<string> Walk(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        return Directory.EnumerateFiles(root, "*", options)
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
