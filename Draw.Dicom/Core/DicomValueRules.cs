namespace Draw.Dicom.Core;

/// <summary>
/// Checks string values against the VR rules of PS3.5 Table 6.2-1 (length and character repertoire)
/// before they are stored. Messages name the VR and the rule, never the value (it may be patient data).
/// </summary>
public static class DicomValueRules
{
    public static void Validate(DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!vr.IsSingleValued() && value.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"a {vr.Code()} value cannot contain '\\' (it separates values); pass several values instead");
        }

        var max = vr.MaxLength();
        if (vr == DicomVR.PN)
        {
            foreach (var group in value.Split('='))
            {
                if (group.Length > 64)
                {
                    throw new ArgumentException("a PN component group is longer than 64 characters");
                }
            }

            if (value.Split('=').Length > 3)
            {
                throw new ArgumentException("a PN value has at most 3 component groups");
            }
        }
        else if (max > 0 && value.Length > max)
        {
            throw new ArgumentException($"a {vr.Code()} value is longer than {max} characters");
        }

        foreach (var c in value)
        {
            if (!IsAllowed(vr, c))
            {
                throw new ArgumentException($"a {vr.Code()} value contains a character outside its repertoire (U+{(int)c:X4})");
            }
        }

        switch (vr)
        {
            case DicomVR.AS when value.Length != 0 && (value.Length != 4 || !char.IsAsciiDigit(value[0]) || !char.IsAsciiDigit(value[1]) || !char.IsAsciiDigit(value[2]) || "DWMY".IndexOf(value[3], StringComparison.Ordinal) < 0):
                throw new ArgumentException("an AS value must be nnnD, nnnW, nnnM or nnnY");
            case DicomVR.UI when value.Length != 0 && (value.StartsWith('.') || value.EndsWith('.') || value.Contains("..", StringComparison.Ordinal)):
                throw new ArgumentException("a UI value must be dot-separated numbers");
            case DicomVR.DA when value.Length != 0 && !Values.DicomDateTimeParser.TryParseDate(value, out _):
                throw new ArgumentException("a DA value must be a valid YYYYMMDD date");
            case DicomVR.TM when value.Length != 0 && !Values.DicomDateTimeParser.TryParseTime(value, out _):
                throw new ArgumentException("a TM value must be HH[MM[SS[.FFFFFF]]]");
            case DicomVR.DT when value.Length != 0 && !Values.DicomDateTimeParser.TryParseDateTime(value, out _, out _):
                throw new ArgumentException("a DT value must be YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]");
        }
    }

    private static bool IsAllowed(DicomVR vr, char c) => vr switch
    {
        DicomVR.CS => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '_',
        DicomVR.UI => c is (>= '0' and <= '9') or '.',
        DicomVR.DA => c is >= '0' and <= '9',
        DicomVR.TM => c is (>= '0' and <= '9') or '.',
        DicomVR.DT => c is (>= '0' and <= '9') or '.' or '+' or '-',
        DicomVR.DS => c is (>= '0' and <= '9') or '+' or '-' or '.' or 'e' or 'E' or ' ',
        DicomVR.IS => c is (>= '0' and <= '9') or '+' or '-' or ' ',
        DicomVR.AS => c is (>= '0' and <= '9') or 'D' or 'W' or 'M' or 'Y',
        DicomVR.AE => c >= ' ' && c < 0x7F,
        DicomVR.UR => c > ' ' && c < 0x7F,
        // Free text may hold CR, LF, FF, TAB and ESC (PS3.5 6.1.3); names and short strings no control characters but ESC.
        DicomVR.LT or DicomVR.ST or DicomVR.UT => c >= ' ' || c is '\r' or '\n' or '\f' or '\t' or '\u001b',
        _ => c >= ' ' || c == '\u001b',
    };
}
