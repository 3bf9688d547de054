using System.Buffers;
using Draw.Dicom.Core;
using Microsoft.Win32.SafeHandles;

namespace Draw.Dicom.IO;

/// <summary>
/// The stream a Part 10 file is written through when the writer owns the file: everything but file-backed bulk
/// data gathers in one pooled buffer (a CT header becomes one write), and bulk data still in its source file
/// (pixel data read lazily) is copied file to file by <see cref="KernelCopy"/> without passing through memory.
/// The caller owns the handle; <see cref="Flush"/> writes what is buffered.
/// </summary>
internal sealed class DicomFileOutput : Stream
{
    private const int BufferSize = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private byte[] _buffer;
    private int _count;
    private long _written;
    private string? _sourcePath;
    private SafeFileHandle? _source;

    public DicomFileOutput(SafeFileHandle handle)
    {
        _handle = handle;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written + _count;
        set => throw new NotSupportedException();
    }

    /// <summary>Copies <paramref name="bulk"/> file to file when its bytes go out as they are stored (no byte swap
    /// left to do: the swap it was read with equals the one the output asks for). False: the caller writes it.</summary>
    public bool TryCopyFrom(DicomBulkData bulk, int outputSwapUnit)
    {
        if (bulk.FilePath is not { } path || bulk.SwapUnit != outputSwapUnit)
        {
            return false;
        }

        Flush();
        if (_source is null || _sourcePath != path)
        {
            // Fragments of one file come one after another: keep its handle open for all of them.
            _source?.Dispose();
            _source = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            _sourcePath = path;
        }

        KernelCopy.Copy(_source, bulk.Offset, _handle, _written, bulk.Length);
        _written += bulk.Length;
        return true;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > _buffer.Length - _count)
        {
            Flush();
            if (buffer.Length >= _buffer.Length)
            {
                RandomAccess.Write(_handle, buffer, _written);
                _written += buffer.Length;
                return;
            }
        }

        buffer.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value)
    {
        if (_count == _buffer.Length)
        {
            Flush();
        }

        _buffer[_count++] = value;
    }

    public override void Flush()
    {
        if (_count > 0)
        {
            RandomAccess.Write(_handle, _buffer.AsSpan(0, _count), _written);
            _written += _count;
            _count = 0;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source?.Dispose();
            _source = null;
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }

        base.Dispose(disposing);
    }
}
