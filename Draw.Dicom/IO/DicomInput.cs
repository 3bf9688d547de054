using System.Buffers;

namespace Draw.Dicom.IO;

/// <summary>
/// Buffered forward reader over a file or network stream, with one pooled buffer. It knows how much input is
/// left when the stream is seekable, so a hostile length can be rejected before anything is allocated.
/// </summary>
internal sealed class DicomInput : IDisposable
{
    private const int BufferSize = 32 * 1024;

    private readonly Stream _stream;
    private readonly long _streamLength;
    private byte[] _buffer;
    private int _pos;
    private int _len;
    private int _readSize;
    private long _bufferStart;

    /// <param name="firstRead">Bytes to ask of the stream at first (a header-only read needs few); each later fill asks twice as many, up to the buffer.</param>
    public DicomInput(Stream stream, string sourceName, string? filePath, int firstRead = int.MaxValue)
    {
        _stream = stream;
        _readSize = Math.Max(firstRead, 1);
        SourceName = sourceName;
        FilePath = filePath;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        if (stream.CanSeek)
        {
            _bufferStart = stream.Position;
            _streamLength = stream.Length;
        }
        else
        {
            _streamLength = -1;
        }
    }

    /// <summary>File path or stream description, used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The file being read, when values can be left in it as bulk data ranges.</summary>
    public string? FilePath { get; }

    public long Position => _bufferStart + _pos;

    /// <summary>Bytes left before the end of input; long.MaxValue when the stream length is unknown.</summary>
    public long Remaining => _streamLength < 0 ? long.MaxValue : _streamLength - Position;

    public bool KnowsLength => _streamLength >= 0;

    public int Buffered => _len - _pos;

    /// <summary>Makes at least <paramref name="count"/> bytes available in the buffer; false at end of input.</summary>
    public bool TryEnsure(int count)
    {
        if (_len - _pos >= count)
        {
            return true;
        }

        return Fill(count);
    }

    /// <summary>True when no byte is left.</summary>
    public bool AtEnd => _len - _pos == 0 && !Fill(1);

    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_pos, count);

    public void Advance(int count) => _pos += count;

    /// <summary>Copies the next bytes into <paramref name="destination"/>; false (with partial copy) at end of input.</summary>
    public bool TryRead(Span<byte> destination)
    {
        var fromBuffer = Math.Min(destination.Length, _len - _pos);
        _buffer.AsSpan(_pos, fromBuffer).CopyTo(destination);
        _pos += fromBuffer;
        var done = fromBuffer;
        while (done < destination.Length)
        {
            // Large values bypass the buffer.
            var n = _stream.Read(destination[done..]);
            if (n <= 0)
            {
                return false;
            }

            done += n;
            _bufferStart += n;
        }

        return true;
    }

    /// <summary>Skips bytes (seeking when possible); false when the input ends first.</summary>
    public bool TrySkip(long count)
    {
        var inBuffer = _len - _pos;
        if (count <= inBuffer)
        {
            _pos += (int)count;
            return true;
        }

        if (_stream.CanSeek)
        {
            var target = Position + count;
            if (target > _streamLength)
            {
                return false;
            }

            _stream.Seek(target, SeekOrigin.Begin);
            _bufferStart = target;
            _pos = 0;
            _len = 0;
            return true;
        }

        count -= inBuffer;
        _bufferStart += _len;
        _pos = 0;
        _len = 0;
        while (count > 0)
        {
            var n = _stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, count));
            if (n <= 0)
            {
                return false;
            }

            count -= n;
            _bufferStart += n;
        }

        return true;
    }

    /// <summary>Positions the underlying stream at <see cref="Position"/> and forgets the buffer (used before switching to a deflate stream).</summary>
    public Stream DetachStreamAtPosition()
    {
        if (!_stream.CanSeek)
        {
            throw new NotSupportedException("cannot hand over a non-seekable stream with buffered data");
        }

        _stream.Seek(Position, SeekOrigin.Begin);
        _bufferStart = Position;
        _pos = 0;
        _len = 0;
        return _stream;
    }

    /// <summary>Returns a stream that first yields the buffered bytes and then the rest of the underlying stream.</summary>
    public Stream RemainderAsStream() => new RemainderStream(this);

    private bool Fill(int count)
    {
        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            _buffer.AsSpan(_pos, _len - _pos).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            _bufferStart += _pos;
            _len -= _pos;
            _pos = 0;
        }
        else if (_pos > 0)
        {
            var left = _len - _pos;
            _buffer.AsSpan(_pos, left).CopyTo(_buffer);
            _bufferStart += _pos;
            _len = left;
            _pos = 0;
        }

        while (_len < count)
        {
            var n = _stream.Read(_buffer, _len, Math.Min(_buffer.Length - _len, Math.Max(count - _len, _readSize)));
            if (n <= 0)
            {
                return false;
            }

            _len += n;
        }

        _readSize = _readSize >= _buffer.Length / 2 ? int.MaxValue : _readSize * 2;
        return true;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private sealed class RemainderStream(DicomInput input) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (input._len - input._pos > 0)
            {
                var n = Math.Min(buffer.Length, input._len - input._pos);
                input._buffer.AsSpan(input._pos, n).CopyTo(buffer);
                input._pos += n;
                return n;
            }

            var read = input._stream.Read(buffer);
            input._bufferStart += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
