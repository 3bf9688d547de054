using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Draw.Dicom.Core;

/// <summary>
/// A large value (pixel data, big OB/OW, fragments) that stays in its file and is read only when asked,
/// so a 1 GB file never has to fit in memory. In-memory values (e.g. from network streams) use the same type.
/// </summary>
public sealed class DicomBulkData
{
    private readonly ReadOnlyMemory<byte> _memory;

    private DicomBulkData(string? path, long offset, long length, int swapUnit, ReadOnlyMemory<byte> memory)
    {
        FilePath = path;
        Offset = offset;
        Length = length;
        SwapUnit = swapUnit;
        _memory = memory;
    }

    /// <summary>The file holding the bytes, or null for in-memory data.</summary>
    public string? FilePath { get; }

    /// <summary>Byte offset of the value in <see cref="FilePath"/>.</summary>
    public long Offset { get; }

    public long Length { get; }

    /// <summary>Byte-swap unit applied when loading (2, 4 or 8 for values read from big endian files; 0 otherwise),
    /// so loaded values are always little endian like every other value of the model.</summary>
    public int SwapUnit { get; }

    public bool IsInFile => FilePath is not null;

    public static DicomBulkData FromFile(string path, long offset, long length, int swapUnit = 0) =>
        new(path, offset, length, swapUnit, ReadOnlyMemory<byte>.Empty);

    public static DicomBulkData FromMemory(ReadOnlyMemory<byte> bytes) => new(null, 0, bytes.Length, 0, bytes);

    /// <summary>Reads the whole value (little endian). For file data this reads the file now.</summary>
    public ReadOnlyMemory<byte> Load()
    {
        if (FilePath is null)
        {
            return _memory;
        }

        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"value of {Length} bytes is too large to load; use CopyTo");
        }

        var buffer = new byte[Length];
        using (var handle = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            ReadExactly(handle, buffer, Offset);
        }

        SwapInPlace(buffer, SwapUnit);
        return buffer;
    }

    /// <summary>Copies the value to a stream in chunks, without loading it whole. The bytes are little endian,
    /// or swapped in units of <paramref name="outputSwapUnit"/> (2, 4, 8) for a big endian destination.</summary>
    public void CopyTo(Stream destination, int outputSwapUnit = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (FilePath is null && outputSwapUnit == 0)
        {
            destination.Write(_memory.Span);
            return;
        }

        if (FilePath is null)
        {
            var copy = _memory.ToArray();
            SwapInPlace(copy, outputSwapUnit);
            destination.Write(copy);
            return;
        }

        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var handle = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read);
            long done = 0;
            while (done < Length)
            {
                // Keep chunks a multiple of 8 so byte swapping never splits a value.
                var n = (int)Math.Min(chunk.Length, Length - done);
                ReadExactly(handle, chunk.AsSpan(0, n), Offset + done);
                SwapInPlace(chunk.AsSpan(0, n), SwapUnit);
                SwapInPlace(chunk.AsSpan(0, n), outputSwapUnit);
                destination.Write(chunk, 0, n);
                done += n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n <= 0)
            {
                throw new IOException("the file is shorter than when it was read (bulk data range past its end)");
            }

            done += n;
        }
    }

    internal static void SwapInPlace(Span<byte> bytes, int unit)
    {
        switch (unit)
        {
            case 2:
                var u16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes[..(bytes.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes[..(bytes.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes[..(bytes.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
