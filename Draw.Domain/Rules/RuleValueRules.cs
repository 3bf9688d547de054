using System.Globalization;
using System.Text.RegularExpressions;
using Draw.Dicom.Core;
using Draw.Dicom.Core.Values;

namespace Draw.Domain.Rules;

/// <summary>How values of a VR compare.</summary>
public enum ValueDomain
{
    /// <summary>Text, compared ordinally.</summary>
    Text,

    /// <summary>Binary numbers, DS and IS: compared as numbers.</summary>
    Number,

    /// <summary>DA.</summary>
    Date,

    /// <summary>TM.</summary>
    Time,

    /// <summary>DT.</summary>
    DateTime,

    /// <summary>AT: compared as tags.</summary>
    Tag,

    /// <summary>SQ: only presence can be tested.</summary>
    Sequence,

    /// <summary>Not in the dictionary (private or unknown): text, or numbers when the rule value is one.</summary>
    Unknown,
}

/// <summary>
/// Which operators suit a VR and whether a rule value is acceptable for it: the DRAW client's VR
/// rules (PS3.5 Table 6.2-1 lengths and formats), plus DRAW's operators. Messages name the tag, its
/// VR and the rule broken.
/// </summary>
public static class RuleValueRules
{
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public const int MaxRegexLength = 1024;

    public static ValueDomain DomainOf(DicomVR vr) => vr switch
    {
        DicomVR.FL or DicomVR.FD or DicomVR.SL or DicomVR.SS or DicomVR.UL or DicomVR.US or DicomVR.SV or DicomVR.UV or DicomVR.IS or DicomVR.DS => ValueDomain.Number,
        DicomVR.DA => ValueDomain.Date,
        DicomVR.TM => ValueDomain.Time,
        DicomVR.DT => ValueDomain.DateTime,
        DicomVR.AT => ValueDomain.Tag,
        DicomVR.SQ => ValueDomain.Sequence,
        DicomVR.None or DicomVR.UN => ValueDomain.Unknown,
        _ => ValueDomain.Text,
    };

    private static bool IsStringVR(DicomVR vr) => vr is DicomVR.AE or DicomVR.CS or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH
        or DicomVR.ST or DicomVR.UT or DicomVR.UI or DicomVR.UC or DicomVR.UR;

    /// <summary>The VR a rule on this path is checked against: the dictionary's first VR, None when unknown.</summary>
    public static DicomVR VROf(TagPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var vrs = DicomDictionary.GetVRs(path.Leaf);
        return vrs.Count > 0 ? vrs[0] : DicomVR.None;
    }

    /// <summary>The operators a VR allows (the editor offers these).</summary>
    public static IReadOnlyList<RuleOperator> OperatorsFor(DicomVR vr)
    {
        var domain = DomainOf(vr);
        return [.. Enum.GetValues<RuleOperator>().Where(op => Allows(vr, domain, op))];
    }

    private static bool Allows(DicomVR vr, ValueDomain domain, RuleOperator op)
    {
        if (op.TakesNoValue() || domain == ValueDomain.Unknown)
        {
            return true;
        }

        if (domain == ValueDomain.Sequence)
        {
            return false;
        }

        var stringOps = op.IsTextual();
        var numberOps = op is RuleOperator.EqualTo or RuleOperator.NotEqualTo || op.IsOrdering();
        var listOrRegex = op is RuleOperator.IsOneOf or RuleOperator.MatchesRegex;
        return domain switch
        {
            ValueDomain.Number => numberOps || op == RuleOperator.IsOneOf || (op == RuleOperator.MatchesRegex && vr is DicomVR.DS or DicomVR.IS),
            ValueDomain.Date or ValueDomain.Time or ValueDomain.DateTime => true,
            _ when IsStringVR(vr) => stringOps || listOrRegex || op is RuleOperator.EqualTo or RuleOperator.NotEqualTo,
            // AS, AT, OB, OW... : equality only (and lists of equal values; AS also by pattern).
            _ => op is RuleOperator.EqualTo or RuleOperator.NotEqualTo or RuleOperator.IsOneOf || (op == RuleOperator.MatchesRegex && vr == DicomVR.AS),
        };
    }

    /// <summary>Why this rule is not acceptable, or null. The rule value is not shown in the message.</summary>
    public static string? Check(TagPath path, RuleOperator op, string? value)
    {
        ArgumentNullException.ThrowIfNull(path);
        var vr = VROf(path);
        var name = DicomDictionary.GetKeyword(path.Leaf) is { Length: > 0 } keyword ? $"{keyword} {path.Leaf}" : path.Leaf.ToString();
        var subject = vr == DicomVR.None ? $"{name} (not in the dictionary)" : $"{name} is {vr.Code()}";
        var domain = DomainOf(vr);
        if (!Enum.IsDefined(op))
        {
            return $"{subject}: unknown operator";
        }

        if (!Allows(vr, domain, op))
        {
            var allowed = string.Join(", ", OperatorsFor(vr).Select(o => o.Display()));
            return $"{subject}: the operator '{op.Display()}' does not apply; use one of: {allowed}";
        }

        if (op.TakesNoValue())
        {
            return null;
        }

        value ??= "";
        if (value.Length == 0)
        {
            return $"{subject}: '{op.Display()}' needs a value (use 'exists' or 'does not exist' to test presence)";
        }

        if (op == RuleOperator.MatchesRegex)
        {
            if (value.Length > MaxRegexLength)
            {
                return $"{subject}: a regular expression has at most {MaxRegexLength} characters";
            }

            try
            {
                _ = new Regex(value, RegexOptions.CultureInvariant, RegexTimeout);
                return null;
            }
            catch (ArgumentException ex)
            {
                return $"{subject}: not a valid regular expression ({ex.Message})";
            }
        }

        if (op == RuleOperator.IsOneOf)
        {
            var entries = SplitList(value);
            if (entries.Length == 0)
            {
                return $"{subject}: 'is one of' needs at least one value (separate values with '{RuleOperators.ListSeparator}')";
            }

            foreach (var entry in entries)
            {
                if (CheckValue(vr, entry, op) is { } problem)
                {
                    return $"{subject}: {problem}";
                }
            }

            return null;
        }

        if (domain == ValueDomain.Unknown && op.IsOrdering() && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return $"{subject}: '{op.Display()}' needs a number";
        }

        return CheckValue(vr, value, op) is { } error ? $"{subject}: {error}" : null;
    }

    public static string[] SplitList(string value) =>
        value.Split(RuleOperators.ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The VR rules for one rule value. Comparisons and exact matches must be a complete valid value;
    /// "contains" values need only fit (length, no backslash), since they are parts of values.
    /// </summary>
    private static string? CheckValue(DicomVR vr, string value, RuleOperator op)
    {
        var partial = op is RuleOperator.Contains or RuleOperator.ContainsIgnoreCase or RuleOperator.DoesNotContain or RuleOperator.DoesNotContainIgnoreCase;
        if (vr == DicomVR.DA && !partial && value.IndexOfAny(['-', '/', '.']) >= 0)
        {
            // People type dates the way they read them; say how DICOM writes them rather than "too long".
            return "a date is written YYYYMMDD, without separators (2024-01-31 is 20240131)";
        }

        var max = vr == DicomVR.TM ? 16 : vr.MaxLength();
        if (vr != DicomVR.PN && max > 0 && value.Length > max)
        {
            return $"a value has at most {max} characters";
        }

        if (!vr.IsSingleValued() && vr != DicomVR.None && value.Contains('\\', StringComparison.Ordinal))
        {
            return "a value cannot contain '\\' (it separates the values of a multi-valued tag)";
        }

        if (partial)
        {
            return null;
        }

        return vr switch
        {
            DicomVR.AS when !(value.Length == 4 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[1]) && char.IsAsciiDigit(value[2]) && value[3] is 'D' or 'W' or 'M' or 'Y')
                => "an age must be nnnD, nnnW, nnnM or nnnY (e.g. 045Y)",
            DicomVR.AT when !DicomTag.TryParse(value, out _) => "a tag value must be (gggg,eeee)",
            DicomVR.CS when !value.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '_') => "a code string holds only letters, digits, space and underscore",
            DicomVR.DA when !(value.Length == 8 && DicomDateTimeParser.TryParseDate(value, out _)) => "a date must be a valid YYYYMMDD",
            DicomVR.DS when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "a decimal string must be a number (e.g. 2.5 or 1e3)",
            DicomVR.DT when !DicomDateTimeParser.TryParseDateTime(value, out _, out _) => "a date-time must be YYYYMMDDHHMMSS.FFFFFF with an optional &ZZXX offset",
            DicomVR.FL when !(float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f)) => "a value must be a number within the 32-bit float range",
            DicomVR.FD when !(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) => "a value must be a number",
            DicomVR.IS when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "an integer string must be a whole number from -2147483648 to 2147483647",
            DicomVR.PN when value.Split('=').Length > 3 || value.Split('=').Any(g => g.Length > 64) => "a person name has at most 3 component groups of at most 64 characters",
            DicomVR.SL when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "a value must be a whole number from -2147483648 to 2147483647",
            DicomVR.SS when !short.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "a value must be a whole number from -32768 to 32767",
            DicomVR.SV when !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "a value must be a 64-bit whole number",
            DicomVR.TM when !DicomDateTimeParser.TryParseTime(value, out _) => "a time must be HHMMSS.FFFFFF (HH, HHMM or HHMMSS, optional fraction)",
            DicomVR.UI when !value.All(c => char.IsAsciiDigit(c) || c == '.') => "a UID holds only digits and dots",
            DicomVR.UL when !uint.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "a value must be a whole number from 0 to 4294967295",
            DicomVR.US when !ushort.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "a value must be a whole number from 0 to 65535",
            DicomVR.UV when !ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "a value must be a 64-bit whole number from 0",
            DicomVR.AE when value.Any(char.IsControl) => "an application entity title holds no control characters",
            _ => null,
        };
    }
}
