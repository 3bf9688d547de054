using Draw.Domain.Export;
using Draw.Domain.Export.Harvest;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Testing.Export;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Export;

/// <summary>The harvest route over a DRAW output tree with broken files among the RTSTRUCTs.</summary>
public sealed class HarvestScannerTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_rtstruct_is_queued_once_and_every_broken_file_is_recorded_without_stopping_the_run(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = new TempFolder("draw-harvest-tree");
        using var share = new TempFolder("draw-harvest-share");
        HarvestTree.Create(tree.Path);
        HarvestTree.Age(tree.Path);
        await using var db = database.CreateContext();
        var destination = await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Name = "Import share", Kind = DestinationKind.Folder, FolderRoot = share.Path }, "admin", CancellationToken.None);
        var source = await db.SaveHarvestSourceAsync(TimeProvider.System, new HarvestSource { Name = "PredRT", Path = tree.Path, QuietPeriodSeconds = 600 }, [destination.Id], CancellationToken.None);
        var scanner = new HarvestScanner(TimeProvider.System);

        var dry = await scanner.ScanAsync(db, source, dryRun: true, publisher: null, CancellationToken.None);
        Assert.Equal((HarvestTree.DistinctRtStructs, 0), (dry.Queued, await db.ExportDeliveries.CountAsync(d => d.HarvestSourceId != null)));

        var report = await scanner.ScanAsync(db, source, dryRun: false, publisher: null, CancellationToken.None);

        Assert.Null(report.Error);
        Assert.Equal(HarvestTree.RtStructFiles, report.RtStructs);
        Assert.Equal(HarvestTree.DistinctRtStructs, report.Queued);
        Assert.Equal(1, report.AlreadyDelivered); // the byte-identical copy of one RTSTRUCT
        Assert.Equal(1, report.NotRtStruct);
        Assert.Equal(HarvestTree.Unreadable.Length, report.Unreadable);
        await using var check = database.CreateContext();
        var records = await check.HarvestedFiles.AsNoTracking().ToDictionaryAsync(f => Path.GetRelativePath(tree.Path, f.Path));
        Assert.All(HarvestTree.Unreadable, relative =>
        {
            Assert.Equal(HarvestOutcome.Unreadable, records[relative].Outcome);
            Assert.False(string.IsNullOrWhiteSpace(records[relative].Reason));
        });
        Assert.Contains("SOPInstanceUID", records[HarvestTree.Unreadable[1]].Reason, StringComparison.Ordinal);
        Assert.Equal(HarvestOutcome.Queued, records[HarvestTree.FractionalTimeFile].Outcome);
        var deliveries = await check.ExportDeliveries.Where(d => d.HarvestSourceId == source.Id).ToListAsync();
        Assert.Equal(HarvestTree.DistinctRtStructs, deliveries.Select(d => d.SopInstanceUid).Distinct().Count());
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Pending, "harvest", 0), (d.State, d.RequestedBy, d.Sequence)));
        Assert.Equal(report.Summary, (await check.HarvestSources.SingleAsync()).LastScanResult);

        // A second scan reads nothing again and queues nothing; a changed file is looked at again.
        var second = await scanner.ScanAsync(db, source, dryRun: false, publisher: null, CancellationToken.None);
        Assert.Equal((report.Files, 0, 0), (second.Unchanged, second.Queued, second.Unreadable));
        File.SetLastWriteTimeUtc(Path.Combine(tree.Path, HarvestTree.FractionalTimeFile), DateTime.UtcNow.AddMinutes(-30));
        var third = await scanner.ScanAsync(db, source, dryRun: false, publisher: null, CancellationToken.None);
        Assert.Equal((1, 0, 1), (third.RtStructs, third.Queued, third.AlreadyDelivered));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Files_inside_the_quiet_period_wait_and_a_missing_folder_is_a_clear_error(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = new TempFolder("draw-harvest-quiet");
        foreach (var file in HarvestTree.Create(tree.Path))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
        }

        await using var db = database.CreateContext();
        var writeBack = await db.ExportDestinations.SingleAsync();
        var source = await db.SaveHarvestSourceAsync(TimeProvider.System, new HarvestSource { Name = "fresh", Path = tree.Path, QuietPeriodSeconds = 600 }, [writeBack.Id], CancellationToken.None);

        var report = await new HarvestScanner(TimeProvider.System).ScanAsync(db, source, dryRun: false, publisher: null, CancellationToken.None);

        Assert.Equal((report.Files, 0), (report.TooRecent, report.Queued));
        Directory.Delete(tree.Path, recursive: true);
        var missing = await new HarvestScanner(TimeProvider.System).ScanAsync(db, source, dryRun: false, publisher: null, CancellationToken.None);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
    }
}
