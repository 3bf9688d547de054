using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Draw.Dicom.Core.Text;
using Draw.Dicom.Core.Values;

namespace Draw.Dicom.Core;

/// <summary>Setters that follow the VR rules: values are validated, encoded and padded to even length.
/// Text that the dataset's character set cannot hold switches the whole dataset to UTF-8 (ISO_IR 192).</summary>
public sealed partial class DicomDataset
{
    /// <summary>Sets a string element, using the dictionary VR of the tag.</summary>
    public void SetString(DicomTag tag, params string[] values) => SetString(tag, VROf(tag), values);

    public void SetString(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!vr.IsString())
        {
            throw new ArgumentException($"{tag} has VR {vr.Code()}, not a string VR");
        }

        if (vr.IsSingleValued() && values.Length > 1)
        {
            throw new ArgumentException($"{vr.Code()} holds a single value");
        }

        foreach (var v in values)
        {
            DicomValueRules.Validate(vr, v);
        }

        var text = string.Join('\\', values);
        var charset = CharacterSet;
        if (vr.IsAffectedByCharacterSet() && !charset.CanEncode(text))
        {
            ConvertToUtf8();
            charset = CharacterSet;
        }
        else if (!vr.IsAffectedByCharacterSet() && !Ascii.IsValid(text))
        {
            throw new ArgumentException($"{vr.Code()} values are limited to the default repertoire (ASCII)");
        }

        var bytes = charset.Encode(text, vr);
        Add(new DicomElement(tag, vr, Pad(bytes, vr)));
    }

    public void SetDate(DicomTag tag, DateOnly date) => SetString(tag, DicomVR.DA, DicomDateTimeParser.FormatDate(date));

    public void SetTime(DicomTag tag, TimeOnly time) => SetString(tag, DicomVR.TM, DicomDateTimeParser.FormatTime(time));

    public void SetDateTime(DicomTag tag, DateTime value, TimeSpan? offset = null) =>
        SetString(tag, DicomVR.DT, DicomDateTimeParser.FormatDateTime(value, offset));

    public void SetPersonName(DicomTag tag, DicomPersonName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        SetString(tag, DicomVR.PN, name.ToString());
    }

    /// <summary>DS values, written in the shortest form that fits the 16-character limit.</summary>
    public void SetDecimalString(DicomTag tag, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            s[i] = FormatDecimalString(values[i]);
        }

        SetString(tag, DicomVR.DS, s);
    }

    public void SetIntegerString(DicomTag tag, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is < int.MinValue or > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(values), "IS values are limited to the 32-bit signed range");
            }

            s[i] = values[i].ToString(CultureInfo.InvariantCulture);
        }

        SetString(tag, DicomVR.IS, s);
    }

    /// <summary>Binary values (US, SS, UL, SL, FL, FD, SV, UV, OB, OW, OF, OD, OL, OV); T must match the VR's unit size.</summary>
    public void SetValues<T>(DicomTag tag, DicomVR vr, params T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        var size = Marshal.SizeOf<T>();
        var unit = vr.UnitSize();
        if (!vr.IsBinary() || vr == DicomVR.AT || (unit != 0 && unit != size && vr != DicomVR.OB))
        {
            throw new ArgumentException($"{typeof(T).Name} values do not fit VR {vr.Code()}");
        }

        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            DicomBulkData.SwapInPlace(bytes, size);
        }

        Add(new DicomElement(tag, vr, Pad(bytes, vr)));
    }

    public void SetAttributeTags(DicomTag tag, params DicomTag[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), values[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), values[i].Element);
        }

        Add(new DicomElement(tag, DicomVR.AT, bytes));
    }

    /// <summary>Raw bytes for OB/UN and the like (padded to even length with 0).</summary>
    public void SetBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) => Add(new DicomElement(tag, vr, Pad(bytes.ToArray(), vr)));

    /// <summary>Adds or replaces a sequence with the given items.</summary>
    public DicomSequence SetSequence(DicomTag tag, params IEnumerable<DicomDataset> items)
    {
        var sq = new DicomSequence(tag, items);
        Add(sq);
        return sq;
    }

    /// <summary>
    /// The tag of element <paramref name="elementOffset"/> (0x00-0xFF) in the private block of <paramref name="creator"/>
    /// in an odd <paramref name="group"/> (PS3.5 7.8.1). With <paramref name="reserve"/> a free block is reserved when
    /// the creator has none; otherwise null is returned.
    /// </summary>
    public DicomTag? GetPrivateTag(ushort group, string creator, byte elementOffset, bool reserve = false)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if ((group & 1) == 0 || group <= 0x0007)
        {
            throw new ArgumentException("private groups are odd and above 0007", nameof(group));
        }

        ushort free = 0;
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var creatorTag = new DicomTag(group, block);
            var e = Find(creatorTag);
            if (e is null)
            {
                if (free == 0)
                {
                    free = block;
                }

                continue;
            }

            if (string.Equals(GetString(e).Trim(), creator.Trim(), StringComparison.Ordinal))
            {
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
            }
        }

        if (!reserve)
        {
            return null;
        }

        if (free == 0)
        {
            throw new InvalidOperationException($"no free private block left in group {group:X4}");
        }

        SetString(new DicomTag(group, free), DicomVR.LO, creator);
        return new DicomTag(group, (ushort)((free << 8) | elementOffset));
    }

    /// <summary>The creator string owning a private element's block, or null.</summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.Element < 0x1000)
        {
            return null;
        }

        var e = Find(tag.PrivateCreatorTag);
        return e is null ? null : GetString(e).Trim();
    }

    /// <summary>Re-encodes every text value of this dataset tree as UTF-8 and sets Specific Character Set to ISO_IR 192.</summary>
    public void ConvertToUtf8()
    {
        var root = this;
        while (root.Parent is not null && !root.Contains(new DicomTag(0x00080005)))
        {
            root = root.Parent;
        }

        root.ConvertTreeToUtf8(root.CharacterSet);
        root.Add(new DicomElement(new DicomTag(0x00080005), DicomVR.CS, Pad(Encoding.ASCII.GetBytes("ISO_IR 192"), DicomVR.CS)));
    }

    private void ConvertTreeToUtf8(DicomCharacterSet inherited)
    {
        var own = Find(new DicomTag(0x00080005));
        var charset = own is null ? inherited : CharacterSet;
        if (charset.IsUtf8)
        {
            return;
        }

        for (var i = 0; i < _elements.Count; i++)
        {
            var e = _elements[i];
            if (e is DicomSequence sq)
            {
                foreach (var item in sq.Items)
                {
                    item.ConvertTreeToUtf8(charset);
                }
            }
            else if (e.VR.IsAffectedByCharacterSet() && !e.IsEmpty)
            {
                var text = charset.Decode(e.GetBytes().Span, e.VR);
                _elements[i] = new DicomElement(e.Tag, e.VR, Pad(Encoding.UTF8.GetBytes(text), e.VR));
            }
        }

        if (own is not null)
        {
            Add(new DicomElement(own.Tag, DicomVR.CS, Pad(Encoding.ASCII.GetBytes("ISO_IR 192"), DicomVR.CS)));
        }

        _characterSet = null;
    }

    private static DicomVR VROf(DicomTag tag)
    {
        var vr = DicomDictionary.GetVR(tag);
        if (vr == DicomVR.UN)
        {
            throw new ArgumentException($"{tag} is not in the dictionary; give its VR");
        }

        return vr;
    }

    /// <summary>Pads to even length with the VR's padding byte (PS3.5 7.1.1).</summary>
    internal static byte[] Pad(byte[] bytes, DicomVR vr)
    {
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte();
        return padded;
    }

    /// <summary>Formats a number for DS in at most 16 characters, keeping as much precision as fits.</summary>
    public static string FormatDecimalString(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "DS cannot hold NaN or infinity");
        }

        var s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.Length <= 16)
        {
            return s;
        }

        for (var digits = 15; digits > 0; digits--)
        {
            s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16)
            {
                return s;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), "value does not fit in a DS");
    }
}
