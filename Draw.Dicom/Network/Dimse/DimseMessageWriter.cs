using System.Buffers;
using System.Buffers.Binary;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Network.Dimse;

/// <summary>
/// Sends DIMSE messages as P-DATA-TF PDUs no longer than the peer's maximum (PS3.8 9.3.5, D.1): the command
/// set in command PDVs, then the data set in data PDVs, each PDU one PDV, the last one flagged. Each PDU
/// is written with one call from a pooled buffer; the data set is read from its stream as it goes.
/// </summary>
internal sealed class DimseMessageWriter
{
    /// <summary>Used when the peer announces no limit (0): large enough to be efficient, small enough to pool.</summary>
    public const uint UnlimitedPduCap = 1024 * 1024;

    private const int HeaderBytes = PduHeader.Size + 6;

    private readonly Stream _transport;
    private readonly SemaphoreSlim _writeLock;

    public DimseMessageWriter(Stream transport, SemaphoreSlim writeLock)
    {
        _transport = transport;
        _writeLock = writeLock;
    }

    /// <summary>The maximum PDU length the peer announced (0 = no limit).</summary>
    public uint PeerMaxPduLength { get; set; }

    /// <summary>Bytes of data sets sent so far.</summary>
    public long DataBytesSent { get; private set; }

    public async Task SendAsync(byte presentationContextId, DicomCommand command, Stream? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.HasDataSet != (data is not null))
        {
            throw new InvalidOperationException($"{command.CommandField}: the command's data set type does not match whether data is given");
        }

        var pduLength = PeerMaxPduLength == 0 ? UnlimitedPduCap : Math.Min(PeerMaxPduLength, UnlimitedPduCap);
        // One PDV per PDU: 4 bytes of item length and 2 of context/control take room from the PDU length.
        // Kept even so that only the last fragment can be odd, and that one is padded (see below).
        var payloadMax = (int)Math.Max(2, pduLength - 6) & ~1;
        await _writeLock.WaitAsync(cancellationToken);
        var first = ArrayPool<byte>.Shared.Rent(HeaderBytes + payloadMax);
        var second = ArrayPool<byte>.Shared.Rent(HeaderBytes + payloadMax);
        try
        {
            using (var commandBytes = new MemoryStream(command.Encode(), writable: false))
            {
                await SendFragmentsAsync(presentationContextId, isCommand: true, commandBytes, first, second, payloadMax, cancellationToken);
            }

            if (data is not null)
            {
                DataBytesSent += await SendFragmentsAsync(presentationContextId, isCommand: false, data, first, second, payloadMax, cancellationToken);
            }

            await _transport.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
            ArrayPool<byte>.Shared.Return(second);
            _writeLock.Release();
        }
    }

    /// <summary>Double-buffered so that the last fragment is known (and flagged) before it is sent.</summary>
    private async Task<long> SendFragmentsAsync(byte contextId, bool isCommand, Stream source, byte[] current, byte[] next, int payloadMax, CancellationToken cancellationToken)
    {
        long total = 0;
        var n = await FillAsync(source, current, payloadMax, cancellationToken);
        while (true)
        {
            var m = n == payloadMax ? await FillAsync(source, next, payloadMax, cancellationToken) : 0;
            var last = m == 0;
            if (last && (n & 1) == 1)
            {
                // Data sets have even length (PS3.5 7.1; a deflated stream is padded with a NUL, PS3.5 A.5), and
                // some peers refuse odd fragments; a file that ends short gets the pad byte here.
                current[HeaderBytes + n] = 0;
                n++;
            }

            Frame(current, n, contextId, isCommand, last);
            await _transport.WriteAsync(current.AsMemory(0, HeaderBytes + n), cancellationToken);
            total += n;
            if (last)
            {
                return total;
            }

            (current, next) = (next, current);
            n = m;
        }
    }

    private static async ValueTask<int> FillAsync(Stream source, byte[] buffer, int payloadMax, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < payloadMax)
        {
            var read = await source.ReadAsync(buffer.AsMemory(HeaderBytes + filled, payloadMax - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static void Frame(byte[] buffer, int payload, byte contextId, bool isCommand, bool last)
    {
        PduHeader.Write(buffer, PduType.DataTransfer, (uint)(payload + 6));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(PduHeader.Size), (uint)(payload + 2));
        buffer[PduHeader.Size + 4] = contextId;
        buffer[PduHeader.Size + 5] = (byte)((isCommand ? 0x01 : 0x00) | (last ? 0x02 : 0x00));
    }
}
