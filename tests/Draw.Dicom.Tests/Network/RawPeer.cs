using System.Buffers.Binary;
using System.Net.Sockets;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Tests.Network;

/// <summary>A deliberately misbehaving peer speaking raw bytes: for faults no well-behaved tool produces.</summary>
public sealed class RawPeer : IAsyncDisposable
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private readonly TcpClient _client = new() { NoDelay = true };

    private NetworkStream Stream => _client.GetStream();

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var peer = new RawPeer();
        await peer._client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        return peer;
    }

    /// <summary>Sends an A-ASSOCIATE-RQ for CT storage and returns the type of the answer.</summary>
    public async Task<PduType> AssociateAsync(string calledAe = "DRAW", string callingAe = "RAWPEER")
    {
        var request = new DicomAssociationRequest(callingAe, calledAe);
        request.UserInformation.MaximumLength = 16384;
        request.AddContext(CtImageStorage, "1.2.840.10008.1.2.1");
        await SendAsync(AssociatePduCodec.EncodeRequest(request));
        var (type, _) = await ReadPduAsync();
        return type;
    }

    public async Task SendAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    /// <summary>One P-DATA-TF with one PDV.</summary>
    public static byte[] PData(byte contextId, bool command, bool last, ReadOnlySpan<byte> payload)
    {
        var pdu = new byte[12 + payload.Length];
        PduHeader.Write(pdu, PduType.DataTransfer, (uint)(payload.Length + 6));
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(6), (uint)(payload.Length + 2));
        pdu[10] = contextId;
        pdu[11] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
        payload.CopyTo(pdu.AsSpan(12));
        return pdu;
    }

    /// <summary>A C-STORE-RQ command and the first part of its data set, not flagged last.</summary>
    public async Task SendPartialStoreAsync()
    {
        var command = DicomCommand.StoreRequest(1, CtImageStorage, "1.2.826.0.1.3680043.2.1125.1.99").Encode();
        await SendAsync(PData(1, command: true, last: true, command));
        await SendAsync(PData(1, command: false, last: false, new byte[4000]));
    }

    public async Task<(PduType Type, byte[] Body)> ReadPduAsync()
    {
        var header = new byte[6];
        await Stream.ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
        var body = new byte[length];
        await Stream.ReadExactlyAsync(body);
        return ((PduType)header[0], body);
    }

    /// <summary>The PDU types received until the server closes the connection.</summary>
    public async Task<List<PduType>> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var types = new List<PduType>();
        var header = new byte[6];
        try
        {
            while (true)
            {
                await Stream.ReadExactlyAsync(header, cancel.Token);
                types.Add((PduType)header[0]);
                var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
                await Stream.ReadExactlyAsync(body, cancel.Token);
            }
        }
        catch (EndOfStreamException)
        {
            return types;
        }
        catch (IOException)
        {
            return types;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
