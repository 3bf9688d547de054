using System.Diagnostics;
using Draw.Dicom.Network.Client;
using Draw.Testing;

namespace Draw.Dicom.Tests.Network;

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
