using System.Net;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Network.Association;

/// <summary>
/// One transport connection carrying the upper layer protocol, shared by the SCU and the SCP: PDU reads,
/// serialized PDU writes, the DIMSE message reader and writer, abort and the wait for the peer to close.
/// </summary>
internal sealed class DicomConnection : IAsyncDisposable
{
    /// <summary>A-ASSOCIATE PDUs with 128 contexts stay well below this; a larger one is refused unread.</summary>
    public const int MaxAssociatePduLength = 1024 * 1024;

    private readonly Stream _transport;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _disposed;

    public DicomConnection(Stream transport, EndPoint? remoteEndPoint, uint localMaxPduLength)
    {
        _transport = transport;
        RemoteEndPoint = remoteEndPoint;
        LocalMaxPduLength = localMaxPduLength;
        Pdus = new PduReader(transport);
        Reader = new DimseMessageReader(Pdus, localMaxPduLength);
        Writer = new DimseMessageWriter(transport, _writeLock);
    }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The largest P-DATA-TF PDU we accept (announced in our maximum length sub-item).</summary>
    public uint LocalMaxPduLength { get; }

    public PduReader Pdus { get; }

    public DimseMessageReader Reader { get; }

    public DimseMessageWriter Writer { get; }

    public async Task SendPduAsync(ReadOnlyMemory<byte> pdu, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _transport.WriteAsync(pdu, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads one association-phase PDU (RQ, AC, RJ, or an abort); null when the peer closed first.</summary>
    public async Task<(PduHeader Header, byte[] Body)?> ReadAssociationPduAsync(CancellationToken cancellationToken)
    {
        if (await Pdus.ReadHeaderAsync(cancellationToken) is not { } header)
        {
            return null;
        }

        if (!header.IsKnownType)
        {
            throw new DicomProtocolException($"unrecognized PDU type 0x{header.Type:X2}", AbortReason.UnrecognizedPdu);
        }

        if (header.Length > MaxAssociatePduLength)
        {
            throw new DicomProtocolException($"{header.PduType} PDU of {header.Length} bytes is larger than {MaxAssociatePduLength}", AbortReason.InvalidPduParameterValue);
        }

        return (header, await Pdus.ReadBodyAsync(header.Length, cancellationToken));
    }

    /// <summary>Sends an A-ABORT if the transport still takes it; failures are ignored because we are closing anyway.</summary>
    public async Task TrySendAbortAsync(AbortSource source, AbortReason reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendPduAsync(AbortPdu.Encode(source, reason), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
        }
    }

    /// <summary>
    /// After A-RELEASE-RP, A-ASSOCIATE-RJ or A-ABORT the peer is expected to close; the ARTIM timer bounds the
    /// wait (PS3.8 9.1.5) so a peer that never closes cannot hold the connection.
    /// </summary>
    public async Task WaitForPeerCloseAsync(TimeSpan artim, TimeProvider timeProvider)
    {
        using var timer = new CancellationTokenSource(artim, timeProvider);
        try
        {
            await Pdus.DrainUntilClosedAsync(timer.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Pdus.CompleteAsync();
        await _transport.DisposeAsync();
        _writeLock.Dispose();
    }
}
