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

/// <summary>The SCU side: a store to a peer that accepts the association and then stops reading must still end when cancelled.</summary>
public sealed class BlockedSendTests
{
    [Fact]
    public async Task A_store_to_a_peer_that_stops_reading_ends_when_cancelled()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var peer = Task.Run(async () =>
        {
            // Accept the association (every context, explicit VR little endian), then never read again.
            using var socket = await listener.AcceptSocketAsync();
            socket.ReceiveBufferSize = 4096;
            var header = new byte[6];
            await ReceiveExactlyAsync(socket, header);
            var body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
            await ReceiveExactlyAsync(socket, body);
            var request = Draw.Dicom.Network.Pdu.AssociatePduCodec.DecodeRequest(body);
            new Draw.Dicom.Network.Association.PresentationContextNegotiator().Negotiate(request);
            await socket.SendAsync(Draw.Dicom.Network.Pdu.AssociatePduCodec.EncodeAccept(request, new Draw.Dicom.Network.Association.DicomUserInformation { MaximumLength = 16384 }));
            await Task.Delay(TimeSpan.FromSeconds(30));
        });

        using var input = new TempFolder("draw-net-blocked-send");
        var files = Draw.Testing.Series.CtSeriesGenerator.Write(input.Path, new Draw.Testing.Series.CtSeriesOptions { Slices = 1, Rows = 4096, Columns = 4096 }).Files; // 32 MB: more than the socket buffers hold
        var client = new Draw.Dicom.Network.Client.DicomClient(new Draw.Dicom.Network.Client.DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "STALLED", CallingAeTitle = "DRAWSCU" });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var clock = Stopwatch.StartNew();
        DicomStoreSummary? summary = null;
        try
        {
            summary = await client.StoreFilesAsync(files, cancellationToken: cancel.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the store took {clock.Elapsed} to end after its cancellation");
        Assert.True(summary is null || summary.Files.All(f => !f.Succeeded), "no file may count as stored");
        Assert.True(cancel.IsCancellationRequested);
    }

    private static async Task ReceiveExactlyAsync(System.Net.Sockets.Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                throw new IOException("closed");
            }

            read += n;
        }
    }
}
