using System.Buffers;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// Accumulates received bytes and cuts them into records terminated by the record separator (0x1E).
/// A WebSocket message may hold several records, and a record may span several frames or messages.
/// JSON escapes control characters inside strings, so 0x1E never occurs inside a record.
/// </summary>
internal sealed class RecordBuffer : IDisposable
{
    public const byte Separator = 0x1E;

    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;

    public RecordBuffer(int initialCapacity = 16 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Bytes received but not yet returned as a complete record.</summary>
    public int PendingBytes => _end - _start;

    /// <summary>
    /// Free space to receive into, at least <paramref name="minimumSize"/> bytes.
    /// Invalidates records returned earlier by <see cref="TryReadRecord"/>.
    /// </summary>
    public Memory<byte> GetWriteMemory(int minimumSize)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_buffer.Length - _end >= minimumSize)
        {
            return _buffer.AsMemory(_end);
        }

        var pending = _end - _start;
        var target = _buffer;
        if (_buffer.Length - pending < minimumSize)
        {
            target = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, pending + minimumSize));
        }

        Buffer.BlockCopy(_buffer, _start, target, 0, pending);
        if (!ReferenceEquals(target, _buffer))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = target;
        }

        _scanned -= _start;
        _start = 0;
        _end = pending;
        return _buffer.AsMemory(_end);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the memory from <see cref="GetWriteMemory"/> as received.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
    }

    /// <summary>
    /// Returns the next complete record (without its separator). The memory stays valid until the next
    /// <see cref="GetWriteMemory"/> call.
    /// </summary>
    public bool TryReadRecord(out ReadOnlyMemory<byte> record)
    {
        var index = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf(Separator);
        if (index < 0)
        {
            _scanned = _end;
            record = default;
            return false;
        }

        var separatorAt = _scanned + index;
        record = _buffer.AsMemory(_start, separatorAt - _start);
        _start = separatorAt + 1;
        _scanned = _start;
        if (_start == _end)
        {
            // Everything consumed: the next write starts at the front again (the record stays readable until then).
            _start = _end = _scanned = 0;
        }

        return true;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
