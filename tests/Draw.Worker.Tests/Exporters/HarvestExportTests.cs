using Draw.Domain.Export;
using Draw.Domain.Export.Harvest;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Testing.Export;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Exporters;

/// <summary>The RTSST-compatible route end to end: a DRAW output tree with broken files, into existing patient folders, exactly once.</summary>
public sealed class HarvestExportTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Harvested_rtstructs_reach_the_share_once_and_again_only_when_a_person_asks(string provider)
    {
        await using var harness = await ExportHarness.StartAsync(provider);
        using var tree = new TempFolder("draw-harvest-e2e");
        using var share = new TempFolder("draw-harvest-import");
        HarvestTree.Create(tree.Path);
        HarvestTree.Age(tree.Path);
        var destination = await harness.AddDestinationAsync(new ExportDestination { Name = "Import share", Kind = DestinationKind.Folder, FolderRoot = share.Path });
        HarvestSource source;
        await using (var db = harness.Database.CreateContext())
        {
            source = await db.SaveHarvestSourceAsync(TimeProvider.System, new HarvestSource { Name = "PredRT", Path = tree.Path, QuietPeriodSeconds = 60 }, [destination.Id], CancellationToken.None);
        }

        var runner = harness.Harvest;
        var report = await runner.ScanAsync(source.Id, CancellationToken.None);
        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HarvestTree.Unreadable.Length, report!.Unreadable);
        var written = Directory.GetFiles(share.Path, "DRAW_*.dcm", SearchOption.AllDirectories);
        Assert.Equal(HarvestTree.DistinctRtStructs, written.Length);
        Assert.All(written, f => Assert.Matches(@"^DRAW_[^/]+_[0-9.]+\.dcm$", Path.GetFileName(f)));
        var ledger = await harness.LedgerAsync();
        Assert.Equal(HarvestTree.DistinctRtStructs, ledger.Count);
        var fractional = ledger.Single(e => e.SourcePath.EndsWith(HarvestTree.FractionalTimeFile, StringComparison.Ordinal));
        Assert.Equal(("101010.123", new DateTime(2017, 1, 1, 10, 10, 10, 123, DateTimeKind.Utc)), (fractional.StudyTime, fractional.StudyDateTime));

        // Exactly once: the importer took the files away, a later scan (even a fresh source on the same tree) sends nothing again.
        foreach (var file in written)
        {
            File.Delete(file);
        }

        await using (var db = harness.Database.CreateContext())
        {
            var again = await db.SaveHarvestSourceAsync(TimeProvider.System, new HarvestSource { Name = "PredRT again", Path = tree.Path, QuietPeriodSeconds = 60 }, [destination.Id], CancellationToken.None);
            var rescan = await runner.ScanAsync(again.Id, CancellationToken.None);
            Assert.Equal((HarvestTree.RtStructFiles, 0), (rescan!.AlreadyDelivered, rescan.Queued));
        }

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(Directory.GetFiles(share.Path, "*.dcm", SearchOption.AllDirectories));
        Assert.Equal(HarvestTree.DistinctRtStructs, (await harness.LedgerAsync()).Count);

        // A person asks for one again: a second ledger row, the file written again.
        await using (var db = harness.Database.CreateContext())
        {
            await db.RequestReexportAsync(TimeProvider.System, destination.Id, fractional.SopInstanceUid, "physicist", CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30));
        Assert.Single(Directory.GetFiles(share.Path, "*.dcm", SearchOption.AllDirectories));
        var after = await harness.LedgerAsync();
        Assert.Equal(HarvestTree.DistinctRtStructs + 1, after.Count);
        Assert.Equal((1, "physicist", LedgerResult.Delivered), (after[^1].Sequence, after[^1].RequestedBy, after[^1].Result));
    }
}
