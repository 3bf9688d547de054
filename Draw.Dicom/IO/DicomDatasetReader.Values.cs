using System.Buffers.Binary;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>Values: copied into the arena or left in the file as bulk data; implicit VRs; byte order.</summary>
internal sealed partial class DicomDatasetReader
{
    private ReadOnlyMemory<byte> ReadValue(uint length, DicomVR vr)
    {
        if (length > Array.MaxLength)
        {
            throw Error($"value length {length} is too large to hold in memory");
        }

        Memory<byte> value;
        if (_input.KnowsLength || length <= 1 << 20)
        {
            value = _arena.Allocate((int)length);
            if (!_input.TryRead(value.Span))
            {
                throw Error("input ends inside a value");
            }
        }
        else
        {
            value = ReadGrowing(length);
        }

        if (_bigEndian)
        {
            DicomBulkData.SwapInPlace(value.Span, SwapUnit(vr));
        }

        return value;
    }

    /// <summary>For streams of unknown length: grow the buffer as bytes actually arrive, so a hostile
    /// length cannot make us allocate gigabytes up front.</summary>
    private byte[] ReadGrowing(uint length)
    {
        var buffer = new byte[1 << 20];
        var done = 0;
        while (done < length)
        {
            if (done == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, length));
            }

            var n = Math.Min(buffer.Length - done, (int)(length - done));
            if (!_input.TryRead(buffer.AsSpan(done, n)))
            {
                throw Error("input ends inside a value");
            }

            done += n;
        }

        return buffer.Length == length ? buffer : buffer[..(int)length];
    }

    private bool IsBulk(DicomTag tag, DicomVR vr, uint length)
    {
        if (_input.FilePath is null)
        {
            return false;
        }

        if (tag.Value is 0x7FE00010 or 0x7FE00008 or 0x7FE00009)
        {
            return length >= 1024;
        }

        return length >= _options.BulkDataThreshold && vr is DicomVR.OB or DicomVR.OW or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.UN;
    }

    /// <summary>VR for implicit VR data: the dictionary's, with the ambiguous ones resolved as PS3.5 Annex A says.</summary>
    private static DicomVR ImplicitVR(DicomDataset dataset, DicomTag tag)
    {
        var vrs = DicomDictionary.GetVRs(tag);
        if (vrs.Count == 0)
        {
            return DicomDictionary.GetVR(tag);
        }

        if (vrs.Count == 1)
        {
            return vrs[0];
        }

        // OB or OW: OW in implicit VR (PS3.5 A.1 c). US or SS (or OW): SS when Pixel Representation says signed.
        if (vrs[0] == DicomVR.OB)
        {
            return DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.SS))
        {
            var pixelRepresentation = FindPixelRepresentation(dataset);
            return pixelRepresentation == 1 ? DicomVR.SS : DicomVR.US;
        }

        return vrs[0];
    }

    private static int FindPixelRepresentation(DicomDataset dataset)
    {
        for (var d = dataset; d is not null; d = d.Parent)
        {
            var e = d.Find(new DicomTag(0x00280103));
            if (e is not null && e.Length >= 2 && e.VR == DicomVR.US)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(e.GetBytes().Span);
            }
        }

        return 0;
    }

    private static int SwapUnit(DicomVR vr) => vr switch
    {
        DicomVR.AT => 2,
        DicomVR.OB or DicomVR.UN => 0,
        _ => vr.UnitSize(),
    };

    private uint ReadTagAt(ReadOnlySpan<byte> b) =>
        _bigEndian
            ? ((uint)BinaryPrimitives.ReadUInt16BigEndian(b) << 16) | BinaryPrimitives.ReadUInt16BigEndian(b[2..])
            : ((uint)BinaryPrimitives.ReadUInt16LittleEndian(b) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);

    private uint ReadUInt32(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort ReadUInt16(ReadOnlySpan<byte> b) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
}
