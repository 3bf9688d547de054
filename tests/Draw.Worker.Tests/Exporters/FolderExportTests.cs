using Draw.Domain.Export;
using Draw.Testing;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Exporters;

/// <summary>Folder destinations through the worker's delivery runner: naming, the existing-folder rule, retries, a crash.</summary>
public sealed class FolderExportTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Hostile_patient_ids_land_inside_the_root_under_safe_names(string provider)
    {
        await using var harness = await ExportHarness.StartAsync(provider);
        using var parent = new TempFolder("draw-export-parent");
        var root = Directory.CreateDirectory(Path.Combine(parent.Path, "import")).FullName;
        var destination = await harness.AddDestinationAsync(new ExportDestination { Name = "share", Kind = DestinationKind.Folder, FolderRoot = root, PathPattern = "{PatientID}/{StudyDate}" });
        var hostile = new Dictionary<string, string> { ["12/345"] = "12_345", [@"..\..\evil"] = "_._.__evil", ["a:b*c?d"] = "a_b_c_d", [".."] = "_", ["../../../tmp/x"] = "_._.__.__tmp_x" };
        var files = hostile.Keys.ToDictionary(id => id, id => harness.RtStruct(id));
        foreach (var file in files.Values)
        {
            await harness.QueueAsync(destination.Id, file);
        }

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30));

        foreach (var (id, safe) in hostile)
        {
            var sop = ExportFacts.Read(files[id]).SopInstanceUid;
            var expected = Path.Combine(root, safe, "20201112", $"DRAW_{safe}_{sop}.dcm");
            Assert.True(File.Exists(expected), $"{id} -> {expected}");
            Assert.Equal(await File.ReadAllBytesAsync(files[id]), await File.ReadAllBytesAsync(expected));
        }

        Assert.Equal(["import"], Directory.GetFileSystemEntries(parent.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(root, ".*", SearchOption.AllDirectories));
        var ledger = await harness.LedgerAsync();
        Assert.Equal(hostile.Count, ledger.Count);
        Assert.All(ledger, e => Assert.Equal((LedgerResult.Delivered, 1, "20201112"), (e.Result, e.Attempts, e.StudyDate)));
        Assert.Equal(hostile.Keys.Order(StringComparer.Ordinal), ledger.Select(e => e.PatientId!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_into_existing_folders_waits_for_the_patient_folder_and_never_creates_it(string provider)
    {
        await using var harness = await ExportHarness.StartAsync(provider);
        using var root = new TempFolder("draw-export-existing");
        Directory.CreateDirectory(Path.Combine(root.Path, "P2"));
        var destination = await harness.AddDestinationAsync(new ExportDestination { Name = "RTSST share", Kind = DestinationKind.Folder, FolderRoot = root.Path, OnlyIntoExistingFolder = true, BackoffBaseSeconds = 1, BackoffMaxSeconds = 1 });
        var waiting = await harness.QueueAsync(destination.Id, harness.RtStruct("P1"));
        var ready = await harness.QueueAsync(destination.Id, harness.RtStruct("P2"));

        await harness.Runner.RunDueAsync(CancellationToken.None);

        Assert.Equal(DeliveryState.Delivered, (await harness.DeliveryAsync(ready)).State);
        var first = await harness.DeliveryAsync(waiting);
        Assert.Equal((DeliveryState.Pending, 1), (first.State, first.Attempts));
        Assert.Contains("does not exist", first.LastError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "P1")));
        Assert.Single(Directory.GetFiles(Path.Combine(root.Path, "P2"), "DRAW_P2_*.dcm"));

        Directory.CreateDirectory(Path.Combine(root.Path, "P1"));
        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30));

        var second = await harness.DeliveryAsync(waiting);
        Assert.Equal((DeliveryState.Delivered, 2), (second.State, second.Attempts));
        Assert.Single(Directory.GetFiles(Path.Combine(root.Path, "P1"), "DRAW_P1_*.dcm"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_delivery_that_keeps_failing_is_parked_with_its_reason_in_the_ledger(string provider)
    {
        await using var harness = await ExportHarness.StartAsync(provider);
        using var root = new TempFolder("draw-export-parked");
        var destination = await harness.AddDestinationAsync(new ExportDestination { Name = "strict", Kind = DestinationKind.Folder, FolderRoot = root.Path, OnlyIntoExistingFolder = true, MaxAttempts = 2, BackoffBaseSeconds = 1, BackoffMaxSeconds = 1 });
        await using (var db = harness.Database.CreateContext())
        {
            var writeBack = await db.ExportDestinations.SingleAsync(d => d.Kind == DestinationKind.WriteBack);
            // Write-back needs a series folder; a file queued without one is refused at once, with the reason.
            await harness.QueueAsync(writeBack.Id, harness.RtStruct("P9"));
        }

        var id = await harness.QueueAsync(destination.Id, harness.RtStruct("NOFOLDER"));

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30));

        var parked = await harness.DeliveryAsync(id);
        Assert.Equal((DeliveryState.Failed, 2), (parked.State, parked.Attempts));
        var ledger = await harness.LedgerAsync();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, e => Assert.Equal(LedgerResult.Failed, e.Result));
        Assert.Contains("does not exist", ledger.Single(e => e.DeliveryId == id).Error, StringComparison.Ordinal);
        var writeBackEntry = ledger.Single(e => e.DeliveryId != id);
        Assert.Equal(1, writeBackEntry.Attempts);
        Assert.Contains("write-back needs the series' own folder", writeBackEntry.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_crash_between_the_copy_and_the_ledger_commit_leaves_one_file_and_one_ledger_row(string provider)
    {
        await using var harness = await ExportHarness.StartAsync(provider);
        using var root = new TempFolder("draw-export-crash");
        var destination = await harness.AddDestinationAsync(new ExportDestination { Name = "share", Kind = DestinationKind.Folder, FolderRoot = root.Path, FileNamePattern = "DRAW_{PatientID}_{Timestamp}.dcm" });
        var id = await harness.QueueAsync(destination.Id, harness.RtStruct("CRASH"));
        var crashing = harness.NewRunner();
        crashing.AfterTransfer = _ => throw new SimulatedCrashException();

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.RunOneAsync(CancellationToken.None));

        var written = Assert.Single(Directory.GetFiles(root.Path, "*", SearchOption.AllDirectories));
        var afterCrash = await harness.DeliveryAsync(id);
        Assert.Equal((DeliveryState.Pending, written), (afterCrash.State, afterCrash.TargetPath));
        Assert.Empty(await harness.LedgerAsync());

        // The restarted worker takes the lease over (the crashed one never registered as alive) and repeats the copy onto the same name.
        await Task.Delay(1100); // a new timestamp would show a second file if the name were chosen again
        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30), harness.NewRunner());

        Assert.Equal([written], Directory.GetFiles(root.Path, "*", SearchOption.AllDirectories));
        var entry = Assert.Single(await harness.LedgerAsync());
        Assert.Equal((LedgerResult.Delivered, written, Path.GetFileName(written)), (entry.Result, entry.Target, entry.FileName));
        Assert.Equal(DeliveryState.Delivered, (await harness.DeliveryAsync(id)).State);
    }

    private sealed class SimulatedCrashException : Exception;
}
