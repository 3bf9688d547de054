using System.Buffers.Binary;
using Draw.Dicom.Core;

namespace Draw.Dicom.Imaging;

/// <summary>The Image Pixel module attributes that say how native (uncompressed) grayscale pixel data is laid out.</summary>
public sealed record PixelLayout(
    int Rows,
    int Columns,
    int Frames,
    int BitsAllocated,
    int BitsStored,
    int HighBit,
    bool Signed,
    double RescaleSlope,
    double RescaleIntercept,
    string PhotometricInterpretation)
{
    public int PixelsPerFrame => Rows * Columns;

    public int BytesPerFrame => PixelsPerFrame * (BitsAllocated / 8);
}

/// <summary>
/// Reads native grayscale pixel data (8, 16 or 32 bits allocated, signed or unsigned, one sample per pixel) and applies
/// the modality rescale (slope, intercept) so CT values come out in Hounsfield units. Compressed (encapsulated) pixel
/// data, colour images and bit layouts other than low-aligned are refused with a <see cref="DicomFormatException"/>.
/// </summary>
public static class PixelDecoder
{
    /// <summary>Reads and checks the pixel layout of an image dataset.</summary>
    public static PixelLayout GetLayout(DicomDataset dataset, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var where = source is null ? "" : $"{source}: ";
        var rows = dataset.GetInt32(DicomTags.Rows) ?? throw Error(where, "Rows (0028,0010) is missing");
        var columns = dataset.GetInt32(DicomTags.Columns) ?? throw Error(where, "Columns (0028,0011) is missing");
        var allocated = dataset.GetInt32(DicomTags.BitsAllocated) ?? throw Error(where, "BitsAllocated (0028,0100) is missing");
        var stored = dataset.GetInt32(DicomTags.BitsStored) ?? allocated;
        var high = dataset.GetInt32(DicomTags.HighBit) ?? (stored - 1);
        var samples = dataset.GetInt32(DicomTags.SamplesPerPixel) ?? 1;
        var photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim() ?? "MONOCHROME2";
        var frames = dataset.GetInt32(DicomTags.NumberOfFrames) ?? 1;
        if (rows <= 0 || columns <= 0 || frames <= 0)
        {
            throw Error(where, $"invalid image size {columns}x{rows}x{frames}");
        }

        if (samples != 1 || photometric is not ("MONOCHROME1" or "MONOCHROME2"))
        {
            throw Error(where, $"only grayscale images are supported (SamplesPerPixel {samples}, PhotometricInterpretation {photometric})");
        }

        if (allocated is not (8 or 16 or 32) || stored < 1 || stored > allocated || high != stored - 1)
        {
            throw Error(where, $"unsupported bit layout (BitsAllocated {allocated}, BitsStored {stored}, HighBit {high})");
        }

        var slope = dataset.GetDouble(DicomTags.RescaleSlope) ?? 1;
        var intercept = dataset.GetDouble(DicomTags.RescaleIntercept) ?? 0;
        if (slope == 0 || double.IsNaN(slope) || double.IsNaN(intercept))
        {
            slope = 1;
            intercept = double.IsNaN(intercept) ? 0 : intercept;
        }

        return new PixelLayout(rows, columns, frames, allocated, stored, high, dataset.GetInt32(DicomTags.PixelRepresentation) == 1, slope, intercept, photometric);
    }

    /// <summary>Decodes one frame, rescaled (stored value × slope + intercept), into <paramref name="destination"/>.</summary>
    public static void DecodeRescaled(DicomDataset dataset, Span<float> destination, int frame = 0, string? source = null)
    {
        var layout = GetLayout(dataset, source);
        var raw = FrameBytes(dataset, layout, frame, source);
        Decode(raw.Span, layout, destination);
    }

    /// <summary>Decodes one frame rescaled and rounded to short (saturating): CT in Hounsfield units.</summary>
    public static void DecodeRescaled(DicomDataset dataset, Span<short> destination, int frame = 0, string? source = null)
    {
        var layout = GetLayout(dataset, source);
        var raw = FrameBytes(dataset, layout, frame, source);
        var n = layout.PixelsPerFrame;
        if (destination.Length < n)
        {
            throw new ArgumentException("destination smaller than a frame", nameof(destination));
        }

        var buffer = new float[n];
        Decode(raw.Span, layout, buffer);
        for (var i = 0; i < n; i++)
        {
            destination[i] = (short)Math.Clamp(MathF.Round(buffer[i]), short.MinValue, short.MaxValue);
        }
    }

    /// <summary>Decodes raw little-endian frame bytes with a known layout.</summary>
    public static void Decode(ReadOnlySpan<byte> raw, PixelLayout layout, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var n = layout.PixelsPerFrame;
        if (destination.Length < n)
        {
            throw new ArgumentException("destination smaller than a frame", nameof(destination));
        }

        if (raw.Length < layout.BytesPerFrame)
        {
            throw new DicomFormatException($"pixel data holds {raw.Length} bytes, a frame needs {layout.BytesPerFrame}");
        }

        var slope = (float)layout.RescaleSlope;
        var intercept = (float)layout.RescaleIntercept;
        var stored = layout.BitsStored;
        var mask = stored >= 32 ? uint.MaxValue : (1u << stored) - 1;
        var signBit = 1u << (stored - 1);
        var signed = layout.Signed;
        switch (layout.BitsAllocated)
        {
            case 8:
                for (var i = 0; i < n; i++)
                {
                    destination[i] = (Value(raw[i], mask, signBit, signed) * slope) + intercept;
                }

                break;
            case 16:
                if (stored == 16)
                {
                    // The common CT case: no masking needed.
                    for (var i = 0; i < n; i++)
                    {
                        var u = BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]);
                        float v = signed ? (short)u : u;
                        destination[i] = (v * slope) + intercept;
                    }
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        destination[i] = (Value(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]), mask, signBit, signed) * slope) + intercept;
                    }
                }

                break;
            default:
                for (var i = 0; i < n; i++)
                {
                    destination[i] = (float)(((double)Value(BinaryPrimitives.ReadUInt32LittleEndian(raw[(4 * i)..]), mask, signBit, signed) * layout.RescaleSlope) + layout.RescaleIntercept);
                }

                break;
        }
    }

    private static long Value(uint raw, uint mask, uint signBit, bool signed)
    {
        var v = raw & mask;
        if (signed && (v & signBit) != 0)
        {
            return (long)v - ((long)mask + 1);
        }

        return v;
    }

    private static ReadOnlyMemory<byte> FrameBytes(DicomDataset dataset, PixelLayout layout, int frame, string? source)
    {
        var where = source is null ? "" : $"{source}: ";
        var element = dataset.Find(DicomTags.PixelData) ?? throw Error(where, "there is no PixelData (7FE0,0010)");
        if (element is DicomFragmentSequence)
        {
            throw Error(where, "the pixel data is compressed (encapsulated); only uncompressed transfer syntaxes are supported");
        }

        if ((uint)frame >= (uint)layout.Frames)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), $"the image has {layout.Frames} frame(s)");
        }

        var bytes = element.GetBytes();
        var start = (long)frame * layout.BytesPerFrame;
        if (start + layout.BytesPerFrame > bytes.Length)
        {
            throw Error(where, $"the pixel data holds {bytes.Length} bytes, too few for {layout.Frames} frame(s) of {layout.Columns}x{layout.Rows}x{layout.BitsAllocated} bits");
        }

        return bytes.Slice((int)start, layout.BytesPerFrame);
    }

    private static DicomFormatException Error(string where, string message) => new(where + message);
}
