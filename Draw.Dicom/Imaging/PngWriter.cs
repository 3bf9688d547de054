using System.Buffers.Binary;
using System.IO.Compression;

namespace Draw.Dicom.Imaging;

/// <summary>Writes 8-bit grayscale or RGB PNG files (previews, debugging overlays).</summary>
public static class PngWriter
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>Maps values through a window (centre, width) to 8-bit gray.</summary>
    public static byte[] Window(ReadOnlySpan<float> values, double center, double width)
    {
        var result = new byte[values.Length];
        var low = center - (width / 2);
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (byte)Math.Clamp((values[i] - low) / width * 255, 0, 255);
        }

        return result;
    }

    /// <summary>Writes pixels (one byte per pixel for gray, three for RGB) row after row.</summary>
    public static void Write(Stream output, ReadOnlySpan<byte> pixels, int width, int height, bool rgb = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        var channels = rgb ? 3 : 1;
        if (pixels.Length < width * height * channels)
        {
            throw new ArgumentException("too few pixels", nameof(pixels));
        }

        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = rgb ? (byte)2 : (byte)0;
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var stride = width * channels;
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0);
                z.Write(pixels.Slice(y * stride, stride));
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.ToArray());
        WriteChunk(output, "IEND"u8, []);
    }

    public static void Write(string path, ReadOnlySpan<byte> pixels, int width, int height, bool rgb = false)
    {
        using var file = File.Create(path);
        Write(file, pixels, width, height, rgb);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        output.Write(type);
        output.Write(data);
        var crc = Crc(0xFFFFFFFFu, type);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(length, crc);
        output.Write(length);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
