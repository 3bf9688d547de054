using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Draw.Dicom.Core;

/// <summary>Formats binary values for display: numbers in decimal, OB/OW/UN as hex, separated by '\'.</summary>
public static class DicomValueFormatter
{
    /// <summary>Formats at most <paramref name="maxValues"/> values (the rest is elided with "...").</summary>
    public static string FormatBinary(DicomElement element, int maxValues = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element is DicomSequence or DicomFragmentSequence)
        {
            return string.Empty;
        }

        var bytes = element.GetBytes().Span;
        var sb = new StringBuilder();
        var vr = element.VR;
        var unit = vr switch
        {
            DicomVR.OB or DicomVR.UN => 1,
            _ => vr.UnitSize(),
        };
        if (unit == 0)
        {
            unit = 1;
        }

        var count = bytes.Length / unit;
        for (var i = 0; i < count && i < maxValues; i++)
        {
            if (i > 0)
            {
                sb.Append('\\');
            }

            var s = bytes.Slice(i * unit, unit);
            switch (vr)
            {
                case DicomVR.OB or DicomVR.UN or DicomVR.None:
                    sb.Append(s[0].ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case DicomVR.OW:
                    sb.Append(BinaryPrimitives.ReadUInt16LittleEndian(s).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case DicomVR.OL:
                    sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(s).ToString("x8", CultureInfo.InvariantCulture));
                    break;
                case DicomVR.OV:
                    sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(s).ToString("x16", CultureInfo.InvariantCulture));
                    break;
                case DicomVR.AT:
                    sb.Append('(').Append(BinaryPrimitives.ReadUInt16LittleEndian(s).ToString("x4", CultureInfo.InvariantCulture))
                        .Append(',').Append(BinaryPrimitives.ReadUInt16LittleEndian(s[2..]).ToString("x4", CultureInfo.InvariantCulture)).Append(')');
                    break;
                case DicomVR.US:
                    sb.Append(BinaryPrimitives.ReadUInt16LittleEndian(s).ToString(CultureInfo.InvariantCulture));
                    break;
                case DicomVR.SS:
                    sb.Append(BinaryPrimitives.ReadInt16LittleEndian(s).ToString(CultureInfo.InvariantCulture));
                    break;
                case DicomVR.UL:
                    sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(s).ToString(CultureInfo.InvariantCulture));
                    break;
                case DicomVR.SL:
                    sb.Append(BinaryPrimitives.ReadInt32LittleEndian(s).ToString(CultureInfo.InvariantCulture));
                    break;
                case DicomVR.SV:
                    sb.Append(BinaryPrimitives.ReadInt64LittleEndian(s).ToString(CultureInfo.InvariantCulture));
                    break;
                case DicomVR.UV:
                    sb.Append(BinaryPrimitives.ReadUInt64LittleEndian(s).ToString(CultureInfo.InvariantCulture));
                    break;
                case DicomVR.FL or DicomVR.OF:
                    sb.Append(BinaryPrimitives.ReadSingleLittleEndian(s).ToString("R", CultureInfo.InvariantCulture));
                    break;
                case DicomVR.FD or DicomVR.OD:
                    sb.Append(BinaryPrimitives.ReadDoubleLittleEndian(s).ToString("R", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(s[0].ToString("x2", CultureInfo.InvariantCulture));
                    break;
            }
        }

        if (count > maxValues)
        {
            sb.Append("\\...");
        }

        return sb.ToString();
    }
}
