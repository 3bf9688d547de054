using Draw.Dicom.IO;

namespace Draw.Dicom.Network.Client;

/// <summary>
/// Reads a file forward through a caller-owned buffer: one read from the kernel per buffer instead of one per
/// PDU fragment (a 16 KB PDU peer would otherwise cost 32 reads for a 512 KB slice). The buffer belongs to the
/// association and serves every file it sends, so nothing is allocated per file beyond the handle.
/// </summary>
internal sealed class ReadAheadFileStream : OwnedHandleReadStream
{
    private readonly byte[] _buffer;
    private readonly long _length;
    private long _filePosition;
    private int _start;
    private int _end;

    public ReadAheadFileStream(string path, long offset, byte[] buffer)
        : base(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
    {
        _length = RandomAccess.GetLength(Handle);
        _filePosition = Math.Min(offset, _length);
        _buffer = buffer;
    }

    public override bool CanSeek => true;

    public override long Length => _length;

    /// <summary>Where the next byte handed out comes from in the file.</summary>
    public override long Position
    {
        get => _filePosition - (_end - _start);
        set => throw new NotSupportedException("a read-ahead stream only moves forward");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
        {
            if (buffer.Length >= _buffer.Length)
            {
                // A read as large as the buffer goes straight to its destination.
                var direct = RandomAccess.Read(Handle, buffer, _filePosition);
                _filePosition += direct;
                return direct;
            }

            _start = 0;
            _end = RandomAccess.Read(Handle, _buffer, _filePosition);
            _filePosition += _end;
        }

        var n = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    /// <summary>Synchronous: from the page cache a read is quicker than the thread-pool hop an asynchronous one costs.</summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new ValueTask<int>(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a read-ahead stream only moves forward");
}
