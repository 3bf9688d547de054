using System.Buffers;
using System.Buffers.Binary;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Network.Dimse;

/// <summary>
/// Sends DIMSE messages as P-DATA-TF PDUs no longer than the peer's maximum (PS3.8 9.3.5, D.1): the command
/// set in command PDVs, then the data set in data PDVs, each PDU one PDV, the last one flagged. PDUs are
/// packed into one pooled buffer of about <see cref="BatchBytes"/> and written with one call per batch (a
/// peer announcing 16 KB PDUs would otherwise cost a send per 16 KB); the data set is read from its stream
/// straight into its place in the batch.
/// </summary>
internal sealed class DimseMessageWriter
{
    /// <summary>Used when the peer announces no limit (0): large enough to be efficient, small enough to pool.</summary>
    public const uint UnlimitedPduCap = 1024 * 1024;

    /// <summary>About how many bytes of PDUs go to the transport in one write.</summary>
    public const int BatchBytes = 256 * 1024;

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
        // Room for at least two fragments: a stream of unknown length reads one ahead to flag the last.
        var pdus = Math.Max(2, BatchBytes / (HeaderBytes + payloadMax));
        await _writeLock.WaitAsync(cancellationToken);
        var batch = new Batch(ArrayPool<byte>.Shared.Rent(pdus * (HeaderBytes + payloadMax)), payloadMax);
        try
        {
            using (var commandBytes = new MemoryStream(command.Encode(), writable: false))
            {
                await SendFragmentsAsync(presentationContextId, isCommand: true, commandBytes, batch, cancellationToken);
            }

            if (data is not null)
            {
                DataBytesSent += await SendFragmentsAsync(presentationContextId, isCommand: false, data, batch, cancellationToken);
            }

            await FlushAsync(batch, batch.Used, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch.Buffer);
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Appends the stream as PDVs to the batch, sending full batches. The last fragment must be flagged before it
    /// is sent: known from the length of a seekable stream, otherwise by reading the next fragment ahead.
    /// </summary>
    private async Task<long> SendFragmentsAsync(byte contextId, bool isCommand, Stream source, Batch batch, CancellationToken cancellationToken)
    {
        long? remaining = source.CanSeek ? source.Length - source.Position : null;
        long total = 0;
        var at = await MakeRoomAsync(batch, batch.Used, cancellationToken);
        var n = await FillAsync(source, batch, at, remaining, cancellationToken);
        while (true)
        {
            bool last;
            var m = 0;
            if (remaining is not null)
            {
                remaining -= n;
                last = remaining == 0;
            }
            else if (n < batch.PayloadMax)
            {
                last = true;
            }
            else
            {
                if (batch.Buffer.Length - (at + HeaderBytes + n) < HeaderBytes + batch.PayloadMax)
                {
                    // No room to read ahead: send what precedes this fragment and move it to the front.
                    await FlushAsync(batch, at, cancellationToken);
                    batch.Buffer.AsSpan(at + HeaderBytes, n).CopyTo(batch.Buffer.AsSpan(HeaderBytes));
                    at = 0;
                }

                m = await FillAsync(source, batch, at + HeaderBytes + n, null, cancellationToken);
                last = m == 0;
            }

            if (last && (n & 1) == 1)
            {
                // Data sets have even length (PS3.5 7.1; a deflated stream is padded with a NUL, PS3.5 A.5), and
                // some peers refuse odd fragments; a file that ends short gets the pad byte here.
                batch.Buffer[at + HeaderBytes + n] = 0;
                n++;
            }

            total += n;

            Frame(batch.Buffer.AsSpan(at), n, contextId, isCommand, last);
            batch.Used = at + HeaderBytes + n;
            if (last)
            {
                return total;
            }

            if (remaining is null)
            {
                // The fragment read ahead is already in place right after this one.
                at = batch.Used;
                n = m;
            }
            else
            {
                at = await MakeRoomAsync(batch, batch.Used, cancellationToken);
                n = await FillAsync(source, batch, at, remaining, cancellationToken);
                if (n == 0 && remaining > 0)
                {
                    throw new EndOfStreamException($"the data set stream ended {remaining} bytes before its length");
                }
            }
        }
    }

    /// <summary>Where the next PDU goes: at <paramref name="at"/>, or at 0 after sending the batch when one more would not fit.</summary>
    private async ValueTask<int> MakeRoomAsync(Batch batch, int at, CancellationToken cancellationToken)
    {
        if (batch.Buffer.Length - at >= HeaderBytes + batch.PayloadMax)
        {
            return at;
        }

        await FlushAsync(batch, at, cancellationToken);
        return 0;
    }

    private async ValueTask FlushAsync(Batch batch, int length, CancellationToken cancellationToken)
    {
        if (length > 0)
        {
            await _transport.WriteAsync(batch.Buffer.AsMemory(0, length), cancellationToken);
        }

        batch.Used = 0;
    }

    /// <summary>Reads one fragment's payload into its place after the PDU and PDV headers at <paramref name="at"/>.</summary>
    private static async ValueTask<int> FillAsync(Stream source, Batch batch, int at, long? remaining, CancellationToken cancellationToken)
    {
        var want = (int)Math.Min(remaining ?? batch.PayloadMax, batch.PayloadMax);
        var destination = batch.Buffer.AsMemory(at + HeaderBytes, want);
        var filled = 0;
        while (filled < want)
        {
            // Files and memory are read synchronously: from the page cache that is quicker than the thread-pool
            // hop an asynchronous FileStream read costs on Unix.
            var read = source is MemoryStream or FileStream { IsAsync: false }
                ? source.Read(destination.Span[filled..])
                : await source.ReadAsync(destination[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static void Frame(Span<byte> buffer, int payload, byte contextId, bool isCommand, bool last)
    {
        PduHeader.Write(buffer, PduType.DataTransfer, (uint)(payload + 6));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[PduHeader.Size..], (uint)(payload + 2));
        buffer[PduHeader.Size + 4] = contextId;
        buffer[PduHeader.Size + 5] = (byte)((isCommand ? 0x01 : 0x00) | (last ? 0x02 : 0x00));
    }

    /// <summary>The pooled buffer PDUs are packed into, and how much of it is filled.</summary>
    private sealed class Batch(byte[] buffer, int payloadMax)
    {
        public byte[] Buffer { get; } = buffer;

        public int PayloadMax { get; } = payloadMax;

        public int Used { get; set; }
    }
}
