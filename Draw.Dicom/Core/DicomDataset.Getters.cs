using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Draw.Dicom.Core.Values;

namespace Draw.Dicom.Core;

/// <summary>Typed getters. Values are decoded from their bytes on each call; nothing is cached.</summary>
public sealed partial class DicomDataset
{
    /// <summary>The whole value as text (multiple values joined by '\'), decoded with the character set in force,
    /// trailing padding removed. Null when the element is absent. Binary VRs are formatted like dcmdump does.</summary>
    public string? GetString(DicomTag tag)
    {
        var e = Find(tag);
        return e is null ? null : GetString(e);
    }

    /// <summary>The text of an element of this dataset (see <see cref="GetString(DicomTag)"/>).</summary>
    public string GetString(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.VR.IsString())
        {
            var bytes = element.GetBytes().Span;
            return TrimEnd(CharacterSet.Decode(bytes, element.VR), element.VR);
        }

        return DicomValueFormatter.FormatBinary(element);
    }

    /// <summary>The values of a multi-valued string element (split on '\'), or an empty array when absent or empty.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var e = Find(tag);
        if (e is null || e.IsEmpty)
        {
            return [];
        }

        var all = GetString(e);
        if (e.VR.IsSingleValued())
        {
            return [all];
        }

        var values = all.Split('\\');
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = TrimValue(values[i], e.VR);
        }

        return values;
    }

    /// <summary>Value number <paramref name="index"/> (0-based) of a string element, or null.</summary>
    public string? GetString(DicomTag tag, int index)
    {
        var values = GetStrings(tag);
        return index >= 0 && index < values.Length ? values[index] : null;
    }

    public DateOnly? GetDate(DicomTag tag, int index = 0) =>
        GetString(tag, index) is { } s && DicomDateTimeParser.TryParseDate(s, out var d) ? d : null;

    public TimeOnly? GetTime(DicomTag tag, int index = 0) =>
        GetString(tag, index) is { } s && DicomDateTimeParser.TryParseTime(s, out var t) ? t : null;

    /// <summary>A DT value as a date-time plus the UTC offset it carries (null when it carries none).</summary>
    public (DateTime Value, TimeSpan? Offset)? GetDateTime(DicomTag tag, int index = 0) =>
        GetString(tag, index) is { } s && DicomDateTimeParser.TryParseDateTime(s, out var v, out var o) ? (v, o) : null;

    /// <summary>Combines a DA and a TM element (e.g. StudyDate and StudyTime) into one date-time.</summary>
    public DateTime? GetDateTime(DicomTag dateTag, DicomTag timeTag)
    {
        var d = GetDate(dateTag);
        if (d is null)
        {
            return null;
        }

        return d.Value.ToDateTime(GetTime(timeTag) ?? TimeOnly.MinValue);
    }

    public DicomPersonName? GetPersonName(DicomTag tag, int index = 0) =>
        GetString(tag, index) is { } s ? DicomPersonName.Parse(s) : null;

    /// <summary>A number from DS, IS or any binary numeric VR; null when absent, empty or not a number.</summary>
    public double? GetDouble(DicomTag tag, int index = 0)
    {
        var e = Find(tag);
        if (e is null)
        {
            return null;
        }

        if (e.VR is DicomVR.DS or DicomVR.IS)
        {
            var s = GetString(tag, index);
            return s is not null && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        }

        return TryGetBinaryNumber(e, index, out var v) ? v : null;
    }

    public double[] GetDoubles(DicomTag tag)
    {
        var e = Find(tag);
        if (e is null || e.IsEmpty)
        {
            return [];
        }

        if (e.VR is DicomVR.DS or DicomVR.IS)
        {
            var s = GetStrings(tag);
            var r = new double[s.Length];
            for (var i = 0; i < s.Length; i++)
            {
                r[i] = double.TryParse(s[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
            }

            return r;
        }

        var unit = e.VR.UnitSize();
        if (unit == 0)
        {
            return [];
        }

        var count = (int)(e.Length / unit);
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            TryGetBinaryNumber(e, i, out result[i]);
        }

        return result;
    }

    /// <summary>A DS value as decimal (exact, as written).</summary>
    public decimal? GetDecimal(DicomTag tag, int index = 0) =>
        GetString(tag, index) is { } s && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public long? GetInt64(DicomTag tag, int index = 0)
    {
        var e = Find(tag);
        if (e is null)
        {
            return null;
        }

        if (e.VR is DicomVR.IS or DicomVR.DS)
        {
            var s = GetString(tag, index);
            if (s is null)
            {
                return null;
            }

            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e18 ? (long)d : null;
        }

        return TryGetBinaryNumber(e, index, out var v) && v == Math.Floor(v) ? (long)v : null;
    }

    public int? GetInt32(DicomTag tag, int index = 0) =>
        GetInt64(tag, index) is { } l && l >= int.MinValue && l <= int.MaxValue ? (int)l : null;

    /// <summary>AT values.</summary>
    public DicomTag[] GetAttributeTags(DicomTag tag)
    {
        var e = Find(tag);
        if (e is null || e.VR != DicomVR.AT)
        {
            return [];
        }

        var span = e.GetBytes().Span;
        var result = new DicomTag[span.Length / 4];
        for (var i = 0; i < result.Length; i++)
        {
            var g = BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4)..]);
            var el = BinaryPrimitives.ReadUInt16LittleEndian(span[((i * 4) + 2)..]);
            result[i] = new DicomTag(g, el);
        }

        return result;
    }

    /// <summary>The values of a binary element as an array of T (e.g. ushort for US/OW, float for FL/OF).</summary>
    public T[] GetValues<T>(DicomTag tag)
        where T : unmanaged
    {
        var e = Find(tag);
        if (e is null)
        {
            return [];
        }

        var bytes = e.GetBytes().Span;
        var size = Marshal.SizeOf<T>();
        return MemoryMarshal.Cast<byte, T>(bytes[..(bytes.Length / size * size)]).ToArray();
    }

    public DicomSequence? GetSequence(DicomTag tag) => Find(tag) as DicomSequence;

    /// <summary>Items of a sequence, or an empty list when absent.</summary>
    public IReadOnlyList<DicomDataset> GetItems(DicomTag tag) => GetSequence(tag)?.Items ?? [];

    internal static bool TryGetBinaryNumber(DicomElement e, int index, out double value)
    {
        value = 0;
        var unit = e.VR.UnitSize();
        if (unit == 0 || index < 0)
        {
            return false;
        }

        var span = e.GetBytes().Span;
        var at = (long)index * unit;
        if (at + unit > span.Length)
        {
            return false;
        }

        var s = span.Slice((int)at, unit);
        value = e.VR switch
        {
            DicomVR.US or DicomVR.OW => BinaryPrimitives.ReadUInt16LittleEndian(s),
            DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(s),
            DicomVR.UL or DicomVR.OL or DicomVR.AT => BinaryPrimitives.ReadUInt32LittleEndian(s),
            DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(s),
            DicomVR.FL or DicomVR.OF => BinaryPrimitives.ReadSingleLittleEndian(s),
            DicomVR.FD or DicomVR.OD => BinaryPrimitives.ReadDoubleLittleEndian(s),
            DicomVR.SV => BinaryPrimitives.ReadInt64LittleEndian(s),
            DicomVR.UV or DicomVR.OV => BinaryPrimitives.ReadUInt64LittleEndian(s),
            DicomVR.OB => s[0],
            _ => 0,
        };
        return true;
    }

    private static string TrimEnd(string s, DicomVR vr)
    {
        var end = s.Length;
        while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\0'))
        {
            end--;
        }

        return end == s.Length ? s : s[..end];
    }

    private static string TrimValue(string s, DicomVR vr)
    {
        // Leading spaces are significant only in the free-text VRs (PS3.5 Table 6.2-1); those are single-valued.
        return vr is DicomVR.UC or DicomVR.UT or DicomVR.ST or DicomVR.LT ? s.TrimEnd(' ', '\0') : s.Trim(' ', '\0');
    }
}
