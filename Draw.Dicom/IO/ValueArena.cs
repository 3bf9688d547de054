namespace Draw.Dicom.IO;

/// <summary>
/// Hands out slices of a few large arrays for the small values of one parse, instead of one array per
/// element: a CT header becomes one or two allocations. Slices stay valid as long as the dataset lives.
/// </summary>
internal sealed class ValueArena
{
    private const int MaxChunk = 256 * 1024;
    private const int OwnArrayThreshold = 16 * 1024;

    private byte[] _chunk = [];
    private int _used;
    private int _nextSize;

    /// <param name="sizeHint">Expected total (e.g. the file length) so a small file gets one right-sized chunk.</param>
    public ValueArena(long sizeHint)
    {
        _nextSize = (int)Math.Clamp(sizeHint, 256, 8 * 1024);
    }

    public Memory<byte> Allocate(int length)
    {
        if (length == 0)
        {
            return Memory<byte>.Empty;
        }

        if (length >= OwnArrayThreshold)
        {
            return new byte[length];
        }

        if (_chunk.Length - _used < length)
        {
            _chunk = new byte[Math.Max(_nextSize, length)];
            _used = 0;
            _nextSize = Math.Min(_nextSize * 2, MaxChunk);
        }

        var slice = _chunk.AsMemory(_used, length);
        _used += length;
        return slice;
    }
}
