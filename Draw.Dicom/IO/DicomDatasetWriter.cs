using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>
/// Writes a dataset body (no preamble, no meta group) in a transfer syntax (PS3.5 7): for Part 10 files
/// after the meta group, and for network messages. Odd values are padded to even length; sequences and
/// items keep the defined/undefined length they were read with; encapsulated pixel data is copied as is.
/// </summary>
public sealed class DicomDatasetWriter
{
    private readonly Stream _output;
    private readonly bool _explicitVR;
    private readonly bool _bigEndian;
    private readonly byte[] _header = new byte[12];

    private DicomDatasetWriter(Stream output, bool explicitVR, bool bigEndian)
    {
        _output = output;
        _explicitVR = explicitVR;
        _bigEndian = bigEndian;
    }

    /// <summary>Writes the dataset in <paramref name="syntax"/>; deflated syntaxes are compressed here.</summary>
    public static void Write(Stream output, DicomDataset dataset, DicomTransferSyntax syntax, CompressionLevel deflateLevel = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        if (syntax.IsDeflated)
        {
            using var deflate = new DeflateStream(output, deflateLevel, leaveOpen: true);
            using var buffered = new BufferedStream(deflate, 1 << 16);
            new DicomDatasetWriter(buffered, true, false).WriteElements(dataset);
            buffered.Flush();
            return;
        }

        new DicomDatasetWriter(output, syntax.IsExplicitVR, syntax.IsBigEndian).WriteElements(dataset);
    }

    /// <summary>Writes group 0002 in explicit VR little endian (PS3.10 7.1).</summary>
    internal static void WriteMeta(Stream output, DicomDataset meta) => new DicomDatasetWriter(output, true, false).WriteElements(meta);

    /// <summary>The encoded length of a dataset in a syntax (used for group and item lengths).</summary>
    public static long MeasureDataset(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        return new DicomDatasetWriter(Stream.Null, syntax.IsExplicitVR, syntax.IsBigEndian).MeasureElements(dataset);
    }

    private void WriteElements(DicomDataset dataset)
    {
        foreach (var e in InTagOrder(dataset))
        {
            WriteElement(e);
        }
    }

    private static IEnumerable<DicomElement> InTagOrder(DicomDataset dataset)
    {
        if (dataset.IsSorted)
        {
            return dataset.Elements;
        }

        // PS3.5 7.1: ascending tag order. Sort a copy; the dataset keeps its read order.
        var copy = new List<DicomElement>(dataset.Elements);
        copy.Sort(static (a, b) => a.Tag.Value.CompareTo(b.Tag.Value));
        return copy;
    }

    private void WriteElement(DicomElement e)
    {
        switch (e)
        {
            case DicomSequence sq:
                WriteSequence(sq);
                return;
            case DicomFragmentSequence fragments:
                WriteFragments(fragments);
                return;
        }

        var length = e.Length;
        var padded = length + (length & 1);
        if (padded > uint.MaxValue - 1)
        {
            throw new InvalidOperationException($"{e.Tag}: value too long for DICOM ({length} bytes)");
        }

        WriteHeader(e.Tag, e.VR, (uint)padded);
        var swap = _bigEndian ? SwapUnit(e.VR) : 0;
        if (e.BulkData is { } bulk)
        {
            CopyBulk(bulk, swap);
        }
        else
        {
            WriteBytes(e.RawValue.Span, swap);
        }

        if ((length & 1) != 0)
        {
            _output.WriteByte(e.VR.PaddingByte());
        }
    }

    private void WriteSequence(DicomSequence sq)
    {
        var length = sq.UndefinedLength ? uint.MaxValue : checked((uint)MeasureSequenceValue(sq));
        WriteHeader(sq.Tag, DicomVR.SQ, length);
        foreach (var item in sq.Items)
        {
            var itemLength = item.UndefinedLength ? uint.MaxValue : checked((uint)MeasureElements(item));
            WriteItemHeader(0xFFFEE000, itemLength);
            WriteElements(item);
            if (item.UndefinedLength)
            {
                WriteItemHeader(0xFFFEE00D, 0);
            }
        }

        if (sq.UndefinedLength)
        {
            WriteItemHeader(0xFFFEE0DD, 0);
        }
    }

    private void WriteFragments(DicomFragmentSequence fragments)
    {
        WriteHeader(fragments.Tag, fragments.VR, uint.MaxValue);
        WriteFragment(fragments.OffsetTable);
        foreach (var f in fragments.Fragments)
        {
            WriteFragment(f);
        }

        WriteItemHeader(0xFFFEE0DD, 0);
    }

    private void WriteFragment(DicomBulkData fragment)
    {
        var length = fragment.Length;
        WriteItemHeader(0xFFFEE000, checked((uint)(length + (length & 1))));
        CopyBulk(fragment, 0);
        if ((length & 1) != 0)
        {
            _output.WriteByte(0);
        }
    }

    /// <summary>Bulk data still in its source file goes file to file when the output is a file (no copy through memory).</summary>
    private void CopyBulk(DicomBulkData bulk, int swapUnit)
    {
        if (_output is not DicomFileOutput file || !file.TryCopyFrom(bulk, swapUnit))
        {
            bulk.CopyTo(_output, swapUnit);
        }
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var h = _header.AsSpan();
        WriteTag(h, tag.Value);
        if (!_explicitVR)
        {
            WriteUInt32(h[4..], length);
            _output.Write(h[..8]);
            return;
        }

        var code = ExplicitCode(vr, length);
        h[4] = (byte)code.Code()[0];
        h[5] = (byte)code.Code()[1];
        if (code.HasLongExplicitLength())
        {
            h[6] = 0;
            h[7] = 0;
            WriteUInt32(h[8..], length);
            _output.Write(h[..12]);
        }
        else
        {
            WriteUInt16(h[6..], (ushort)length);
            _output.Write(h[..8]);
        }
    }

    /// <summary>The VR written in explicit VR: a value too long for a 16-bit length is written as UN (PS3.5 6.2.2 note).</summary>
    private static DicomVR ExplicitCode(DicomVR vr, uint length)
    {
        if (vr == DicomVR.None)
        {
            return DicomVR.UN;
        }

        return !vr.HasLongExplicitLength() && length > 0xFFFE ? DicomVR.UN : vr;
    }

    private void WriteItemHeader(uint tag, uint length)
    {
        var h = _header.AsSpan(0, 8);
        WriteTag(h, tag);
        WriteUInt32(h[4..], length);
        _output.Write(h);
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes, int swapUnit)
    {
        if (swapUnit == 0)
        {
            _output.Write(bytes);
            return;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(Math.Min(bytes.Length, 1 << 16));
        try
        {
            for (var done = 0; done < bytes.Length;)
            {
                var n = Math.Min(chunk.Length & ~7, bytes.Length - done);
                bytes.Slice(done, n).CopyTo(chunk);
                DicomBulkData.SwapInPlace(chunk.AsSpan(0, n), swapUnit);
                _output.Write(chunk, 0, n);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private long MeasureElements(DicomDataset dataset)
    {
        long total = 0;
        foreach (var e in dataset.Elements)
        {
            total += MeasureElement(e);
        }

        return total;
    }

    private long MeasureElement(DicomElement e)
    {
        switch (e)
        {
            case DicomSequence sq:
                return HeaderSize(DicomVR.SQ, 0) + MeasureSequenceValue(sq) + (sq.UndefinedLength ? 8 : 0);
            case DicomFragmentSequence f:
                long size = HeaderSize(f.VR, 0) + 8 + Even(f.OffsetTable.Length) + 8;
                foreach (var fragment in f.Fragments)
                {
                    size += 8 + Even(fragment.Length);
                }

                return size;
            default:
                var length = Even(e.Length);
                return HeaderSize(e.VR, length) + length;
        }
    }

    /// <summary>Bytes of the items of a sequence, without the sequence's own header and delimiter.</summary>
    private long MeasureSequenceValue(DicomSequence sq)
    {
        long total = 0;
        foreach (var item in sq.Items)
        {
            total += 8 + MeasureElements(item) + (item.UndefinedLength ? 8 : 0);
        }

        return total;
    }

    private int HeaderSize(DicomVR vr, long length) =>
        !_explicitVR ? 8 : ExplicitCode(vr, (uint)Math.Min(length, uint.MaxValue)).HasLongExplicitLength() ? 12 : 8;

    private static long Even(long length) => length + (length & 1);

    private static int SwapUnit(DicomVR vr) => vr switch
    {
        DicomVR.AT => 2,
        DicomVR.OB or DicomVR.UN => 0,
        _ => vr.UnitSize(),
    };

    private void WriteTag(Span<byte> h, uint tag)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(h, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)tag);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], (ushort)tag);
        }
    }

    private void WriteUInt32(Span<byte> h, uint v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(h, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h, v);
        }
    }

    private void WriteUInt16(Span<byte> h, ushort v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(h, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h, v);
        }
    }
}
