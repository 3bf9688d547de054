using System.Net;
using Draw.Dicom.Network.Server;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Settings;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Testing.Peers;
using Draw.Worker.Listener;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Draw.Worker.Tests.Listener;

public sealed class ListenerIngestTests
{
    private static string LungImages => Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_series_sent_in_two_associations_is_one_series_stable_only_after_the_quiet_period(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var server = await StartAsync(database, time);
        var files = Directory.GetFiles(LungImages).Order(StringComparer.Ordinal).ToList();

        var first = await Dcmtk.StoreScuAsync(server.Port, "DRAW", files.Take(67));
        Assert.True(first.ExitCode == 0, first.Output);
        time.Advance(TimeSpan.FromSeconds(10));
        var second = await Dcmtk.StoreScuAsync(server.Port, "DRAW", files.Skip(67));
        Assert.True(second.ExitCode == 0, second.Output);

        await using var db = database.CreateContext();
        var series = await db.Series.SingleAsync();
        Assert.Equal(134, series.InstanceCount);
        Assert.Equal(SeriesSource.Listener, series.Source);
        Assert.Equal(SeriesStatus.Receiving, series.Status);
        var instance = await db.Instances.FirstAsync();
        Assert.StartsWith(Path.Combine(database.DataRoot.Incoming, "LUNG1-001"), instance.Path, StringComparison.Ordinal);
        Assert.True(File.Exists(instance.Path));
        Assert.Equal(134, Directory.GetFiles(Path.GetDirectoryName(instance.Path)!).Length);

        // Quiet period: 60 s after the LAST arrival, not the first.
        time.Advance(TimeSpan.FromSeconds(55));
        Assert.Equal(0, await db.PromoteStableAsync(time, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await db.PromoteStableAsync(time, CancellationToken.None));
        await db.SaveChangesAsync();
        Assert.Equal(SeriesStatus.Unprocessed, (await db.Series.SingleAsync()).Status);
        Assert.Equal(134, await db.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Received));
    }

    [Fact]
    public async Task A_resend_is_acknowledged_once_and_a_changed_instance_is_quarantined_as_a_conflict()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var server = await StartAsync(database, time);
        using var scratch = new TempFolder();
        var files = Directory.GetFiles(LungImages).Order(StringComparer.Ordinal).Take(3).ToList();
        Assert.Equal(0, (await Dcmtk.StoreScuAsync(server.Port, "DRAW", files)).ExitCode);

        var again = await Dcmtk.StoreScuAsync(server.Port, "DRAW", files.Take(1));
        Assert.Equal(0, again.ExitCode);
        var changed = Path.Combine(scratch.Path, "changed.dcm");
        var bytes = File.ReadAllBytes(files[1]);
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(changed, bytes);
        Assert.Equal(0, (await Dcmtk.StoreScuAsync(server.Port, "DRAW", [changed])).ExitCode);

        await using var db = database.CreateContext();
        Assert.Equal(3, await db.Instances.CountAsync());
        var conflict = await db.InstanceConflicts.SingleAsync();
        Assert.StartsWith(Path.Combine(database.DataRoot.Quarantine, "listener", "conflicts"), conflict.OtherPath, StringComparison.Ordinal);
        Assert.True(File.Exists(conflict.OtherPath));
        Assert.Equal(1, (await db.Series.SingleAsync()).ConflictCount);
        Assert.Empty(Directory.GetFiles(Path.Combine(database.DataRoot.Incoming, ".receiving")));
    }

    private static async Task<DicomServer> StartAsync(TestDatabase database, FakeTimeProvider time)
    {
        var handler = new IngestStoreHandler(database.Factory, new SeriesIndexer(time), database.DataRoot, Options.Create(new IngestOptions()),
            new RecordingPublisher(), time, NullLogger<IngestStoreHandler>.Instance);
        var server = new DicomServer(new DicomServerOptions { AeTitle = "DRAW", Port = 0, BindAddress = IPAddress.Loopback }, handler);
        await server.StartAsync();
        return server;
    }
}
