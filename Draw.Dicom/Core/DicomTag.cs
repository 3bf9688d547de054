using System.Globalization;

namespace Draw.Dicom.Core;

/// <summary>A data element tag (group, element) held as one 32-bit number so comparisons and lookups are integer operations.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element)
        : this(((uint)group << 16) | element)
    {
    }

    public ushort Group => (ushort)(Value >> 16);

    public ushort Element => (ushort)Value;

    /// <summary>Odd groups other than 0001, 0003, 0005, 0007 and FFFF hold private data elements (PS3.5 7.8).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>(gggg,0010-00FF) in a private group reserves a block of 256 elements for one creator.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>For a private element (gggg,xxyy) with xx ≥ 0x10, the creator element (gggg,00xx) that owns its block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    public bool IsGroupLength => Element == 0x0000;

    public static DicomTag Item => new(0xFFFEE000);

    public static DicomTag ItemDelimitationItem => new(0xFFFEE00D);

    public static DicomTag SequenceDelimitationItem => new(0xFFFEE0DD);

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    /// <summary>"(gggg,eeee)" with upper-case hex digits.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>Parses "(gggg,eeee)", "gggg,eeee" or "ggggeeee".</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var tag))
        {
            return tag;
        }

        throw new FormatException($"not a DICOM tag: '{text}'");
    }

    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (text is null)
        {
            return false;
        }

        Span<char> digits = stackalloc char[8];
        var n = 0;
        foreach (var c in text)
        {
            if (c is '(' or ')' or ',' or ' ')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c) || n == 8)
            {
                return false;
            }

            digits[n++] = c;
        }

        if (n != 8 || !uint.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        tag = new DicomTag(value);
        return true;
    }
}
