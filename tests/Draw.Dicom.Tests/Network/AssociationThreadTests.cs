using System.Diagnostics;
using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Pdu;
using Draw.Dicom.Network.Server;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>
/// Each association runs on a thread of its own with blocking socket calls: a receive that waits for a peer must
/// still end when the server stops (the stop shuts the receive side down), and the peer must be told (A-ABORT).
/// </summary>
public sealed class AssociationThreadTests : IDisposable
{
    private readonly TempFolder _folder = new("draw-net-threads");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Stopping_the_server_ends_an_association_blocked_waiting_for_its_peer()
    {
        var options = new DicomServerOptions { AeTitle = "DRAW", Port = 0, DimseTimeout = TimeSpan.FromMinutes(10), ArtimTimeout = TimeSpan.FromMinutes(10) };
        var server = new DicomServer(options, new FolderStoreHandler(_folder.Path));
        await server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        Assert.Equal(PduType.AssociateAccept, await peer.AssociateAsync());
        await peer.SendPartialStoreAsync();
        await DcmtkInteropTests.WaitUntilAsync(() => Directory.GetFiles(_folder.Path, ".*").Length == 1);

        var clock = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the server took {clock.Elapsed} to stop");
        Assert.Equal(0, server.ActiveAssociations);
        Assert.Equal([PduType.Abort], await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task Associations_in_parallel_each_store_every_instance()
    {
        await using var server = await DicomServer.StartFolderSinkAsync(_folder.Path, new DicomServerOptions { AeTitle = "DRAW", Port = 0, FlushToDisk = false });
        using var input = new TempFolder("draw-net-threads-in");
        var files = Draw.Testing.Series.CtSeriesGenerator.Write(input.Path, new Draw.Testing.Series.CtSeriesOptions { Slices = 6, Rows = 64, Columns = 64 }).Files;
        var sends = Enumerable.Range(0, 4).Select(_ => Dcmtk.StoreScuAsync(server.Port, "DRAW", files)).ToList();
        foreach (var (code, output) in await Task.WhenAll(sends))
        {
            Assert.True(code == 0, output);
        }

        Assert.Equal(files.Count, Directory.GetFiles(_folder.Path, "*.dcm").Length);
        await DcmtkInteropTests.WaitUntilAsync(() => server.ActiveAssociations == 0);
    }
}
