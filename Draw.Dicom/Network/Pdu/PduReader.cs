using System.Buffers;
using System.IO.Pipelines;
using Draw.Dicom.Network.Association;

namespace Draw.Dicom.Network.Pdu;

/// <summary>
/// Reads PDU headers, small PDU bodies and PDV payloads from the transport through a <see cref="PipeReader"/>.
/// Payload bytes are handed to their destination straight from the pipe's pooled buffers, so a large data
/// set never sits in memory as a whole.
/// </summary>
internal sealed class PduReader
{
    private readonly PipeReader _pipe;

    public PduReader(Stream transport)
    {
        _pipe = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
    }

    /// <summary>The next PDU header, or null when the peer closed the connection cleanly between PDUs.</summary>
    public async ValueTask<PduHeader?> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var result = await _pipe.ReadAtLeastAsync(PduHeader.Size, cancellationToken);
        var buffer = result.Buffer;
        if (buffer.Length < PduHeader.Size)
        {
            _pipe.AdvanceTo(buffer.Start, buffer.End);
            if (buffer.Length == 0)
            {
                return null;
            }

            throw new DicomAssociationAbortedException("the connection closed inside a PDU header");
        }

        Span<byte> header = stackalloc byte[PduHeader.Size];
        buffer.Slice(0, PduHeader.Size).CopyTo(header);
        _pipe.AdvanceTo(buffer.GetPosition(PduHeader.Size));
        return PduHeader.Parse(header);
    }

    /// <summary>Reads a small PDU body whole; the caller has checked the length against its bound.</summary>
    public async ValueTask<byte[]> ReadBodyAsync(uint length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        await ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            var result = await _pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var n = (int)Math.Min(buffer.Length, destination.Length);
            buffer.Slice(0, n).CopyTo(destination.Span);
            destination = destination[n..];
            _pipe.AdvanceTo(buffer.GetPosition(n));
            if (destination.Length > 0 && result.IsCompleted && n == 0)
            {
                throw new DicomAssociationAbortedException("the connection closed inside a PDU");
            }
        }
    }

    /// <summary>Moves <paramref name="count"/> bytes from the transport to <paramref name="destination"/> (or drops them).</summary>
    public async ValueTask CopyToAsync(long count, Stream? destination, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var result = await _pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var slice = buffer.Slice(0, Math.Min(buffer.Length, count));
            try
            {
                if (destination is FileStream { IsAsync: false } file)
                {
                    // A synchronous file write lands in the page cache in microseconds; an async one on Unix
                    // is a thread-pool hop per write, which the sender waits for on every instance.
                    foreach (var segment in slice)
                    {
                        file.Write(segment.Span);
                    }
                }
                else if (destination is not null)
                {
                    foreach (var segment in slice)
                    {
                        await destination.WriteAsync(segment, cancellationToken);
                    }
                }
            }
            finally
            {
                _pipe.AdvanceTo(slice.End);
            }

            count -= slice.Length;
            if (count > 0 && result.IsCompleted && slice.Length == 0)
            {
                throw new DicomAssociationAbortedException("the connection closed inside a PDU");
            }
        }
    }

    /// <summary>Drops whatever the peer still sends until it closes (used while waiting for the peer to close).</summary>
    public async ValueTask DrainUntilClosedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken);
            _pipe.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    public ValueTask CompleteAsync() => _pipe.CompleteAsync();
}
