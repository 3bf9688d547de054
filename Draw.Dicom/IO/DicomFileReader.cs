using System.Buffers.Binary;
using System.IO.Compression;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>
/// Reads Part 10 files (PS3.10 7.1): optional 128-byte preamble and "DICM", the meta group in explicit VR
/// little endian, then the dataset in the transfer syntax the meta group names. Files without preamble or
/// meta group (or without a transfer syntax in it) are detected from their first bytes.
/// </summary>
public static class DicomFileReader
{
    private const int HeaderFirstRead = 4096;

    // Most files have an all-zero preamble: they share one read-only copy.
    private static readonly ReadOnlyMemory<byte> ZeroPreamble = new byte[128];

    public static DicomFile Read(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        // No FileStream buffer: DicomInput has its own pooled one.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
        return Read(stream, path, path, options ?? DicomReadOptions.Default, probe: false)!;
    }

    /// <summary>As <see cref="Read(string, DicomReadOptions?)"/>, but null when the file's first bytes fail <see cref="DicomFileProbe"/>'s test.</summary>
    public static DicomFile? ReadIfDicom(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Called for every file of a datastore scan: opened without the advisory lock .NET would take and drop.
        using var stream = UnlockedFile.OpenRead(path);
        return Read(stream, path, path, options ?? DicomReadOptions.Default, probe: true);
    }

    /// <summary>Reads a Part 10 file from a stream. Values are held in memory (no bulk data file ranges).</summary>
    public static DicomFile Read(Stream stream, DicomReadOptions? options = null, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, sourceName, null, options ?? DicomReadOptions.Default, probe: false)!;
    }

    /// <summary>Null only when <paramref name="probe"/> is set and the first bytes do not look like DICOM.</summary>
    private static DicomFile? Read(Stream stream, string sourceName, string? filePath, DicomReadOptions options, bool probe)
    {
        // A header sits in the first few KB: asking the file for the whole buffer would copy pixel data for nothing.
        using var input = new DicomInput(stream, sourceName, filePath, options.StopBeforePixelData ? HeaderFirstRead : int.MaxValue);
        if (probe)
        {
            // A file shorter than the probe's window leaves what it has in the buffer.
            _ = input.TryEnsure(DicomFileProbe.HeadLength);
            if (!DicomFileProbe.LooksLikeDicom(input.Peek(Math.Min(input.Buffered, DicomFileProbe.HeadLength))))
            {
                return null;
            }
        }

        ReadOnlyMemory<byte>? preamble = null;
        if (input.TryEnsure(132) && input.Peek(132)[128..].SequenceEqual("DICM"u8))
        {
            var p = input.Peek(128);
            preamble = p.ContainsAnyExcept((byte)0) ? p.ToArray() : ZeroPreamble;
            input.Advance(132);
        }
        else if (input.TryEnsure(4) && input.Peek(4).SequenceEqual("DICM"u8))
        {
            input.Advance(4);
        }

        var meta = new DicomDataset();
        if (StartsWithMetaGroup(input))
        {
            ReadMetaGroup(input, meta, options);
        }

        var tsUid = meta.GetString(new DicomTag(0x00020010))?.Trim();
        DicomTransferSyntax syntax;
        var detected = false;
        if (string.IsNullOrEmpty(tsUid))
        {
            if (preamble is null && meta.Count == 0 && !LooksLikeDatasetStart(input))
            {
                throw new DicomFormatException(sourceName, input.Position, null, "not a DICOM file: no preamble, no meta group, and the data does not start with a low, even group");
            }

            syntax = DetectTransferSyntax(input);
            detected = true;
        }
        else
        {
            syntax = DicomTransferSyntax.Lookup(tsUid);
            if (syntax.IsUnknown && LooksImplicit(input))
            {
                syntax = DicomTransferSyntax.ImplicitVRLittleEndian;
                detected = true;
            }
        }

        var datasetOffset = input.Position;
        var dataset = new DicomDataset(options.KeptTags?.Length ?? 64);
        DicomDatasetReader reader;
        if (syntax.IsDeflated)
        {
            // The rest of the file is a raw deflate stream (RFC 1951, no zlib header); values live in memory.
            var remainder = filePath is null ? input.RemainderAsStream() : input.DetachStreamAtPosition();
            using var inflated = new DeflateStream(remainder, CompressionMode.Decompress, leaveOpen: true);
            using var inner = new DicomInput(inflated, sourceName + " (inflated data)", null);
            reader = new DicomDatasetReader(inner, options, explicitVR: true, bigEndian: false);
            reader.ReadTopLevel(dataset);
        }
        else
        {
            reader = new DicomDatasetReader(input, options, syntax.IsExplicitVR, syntax.IsBigEndian);
            reader.ReadTopLevel(dataset);
            if (dataset.StoppedAtOffset >= 0 && stream.CanSeek)
            {
                CheckPixelDataFits(input, stream.Length, syntax, sourceName);
            }
        }

        return new DicomFile(dataset, syntax, meta)
        {
            Preamble = preamble,
            FilePath = filePath,
            TransferSyntaxDetected = detected,
            DatasetOffset = datasetOffset,
            Warnings = reader.Warnings.Count == 0 ? [] : reader.Warnings,
        };
    }

    /// <summary>
    /// A header-only read stops before the pixel data; a file cut short inside it would otherwise pass
    /// as whole. When the element has a defined length, the file must be long enough to hold it.
    /// </summary>
    private static void CheckPixelDataFits(DicomInput input, long streamLength, DicomTransferSyntax syntax, string sourceName)
    {
        if (!input.TryEnsure(12))
        {
            throw new DicomFormatException(sourceName, input.Position, DicomTags.PixelData, "input ends inside the pixel data element header");
        }

        var header = input.Peek(12);
        uint length;
        int headerLength;
        if (syntax.IsExplicitVR && DicomVRInfo.TryParse(header[4], header[5], out var vr))
        {
            var longForm = vr.HasLongExplicitLength();
            headerLength = longForm ? 12 : 8;
            length = longForm
                ? (syntax.IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[8..]))
                : (syntax.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[6..]));
        }
        else
        {
            headerLength = 8;
            length = syntax.IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        }

        if (length != uint.MaxValue && input.Position + headerLength + length > streamLength)
        {
            throw new DicomFormatException(sourceName, input.Position, DicomTags.PixelData,
                $"pixel data is cut short: the file ends {input.Position + headerLength + length - streamLength} bytes before the element's stated end");
        }
    }

    private static bool StartsWithMetaGroup(DicomInput input) =>
        input.TryEnsure(6) && BinaryPrimitives.ReadUInt16LittleEndian(input.Peek(2)) == 0x0002;

    /// <summary>Reads group 0002 in explicit VR little endian (PS3.10 7.1). The group length is not trusted:
    /// reading continues while the tags are in group 0002, which also copes with a wrong or missing length.</summary>
    private static void ReadMetaGroup(DicomInput input, DicomDataset meta, DicomReadOptions options)
    {
        var explicitVR = DicomVRInfo.TryParse(input.Peek(6)[4], input.Peek(6)[5], out _);
        // The meta group holds a few hundred bytes of values: a small first arena chunk (it grows if needed).
        // The options apply as they are: pixel data and kept tags concern the top-level dataset, not group 0002.
        var reader = new DicomDatasetReader(input, options, explicitVR, bigEndian: false, valueBytesHint: 256);
        reader.ReadGroup(meta, 0x0002);
    }

    /// <summary>Guesses the encoding of a dataset without meta information from its first element header.</summary>
    private static DicomTransferSyntax DetectTransferSyntax(DicomInput input)
    {
        if (!input.TryEnsure(8))
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        var h = input.Peek(8);
        var groupLE = BinaryPrimitives.ReadUInt16LittleEndian(h);
        var groupBE = BinaryPrimitives.ReadUInt16BigEndian(h);
        var explicitVR = DicomVRInfo.TryParse(h[4], h[5], out _);
        // A dataset starts with a low group number; whichever byte order gives the smaller group is the right one.
        var bigEndian = groupBE < groupLE;
        if (bigEndian)
        {
            return explicitVR ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    /// <summary>A dataset without meta information starts with a small even group (0008 in practice).</summary>
    private static bool LooksLikeDatasetStart(DicomInput input)
    {
        if (!input.TryEnsure(8))
        {
            return false;
        }

        var h = input.Peek(8);
        var group = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(h), BinaryPrimitives.ReadUInt16BigEndian(h));
        return group <= 0x0010 && (group & 1) == 0;
    }

    private static bool LooksImplicit(DicomInput input) =>
        input.TryEnsure(8) && !DicomVRInfo.TryParse(input.Peek(8)[4], input.Peek(8)[5], out _);
}
