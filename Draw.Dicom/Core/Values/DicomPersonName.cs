namespace Draw.Dicom.Core.Values;

/// <summary>
/// A PN value (PS3.5 6.2.1): up to three component groups (alphabetic, ideographic, phonetic) separated by
/// '=', each with five components (family, given, middle, prefix, suffix) separated by '^'.
/// </summary>
public sealed record DicomPersonName(DicomPersonNameGroup Alphabetic, DicomPersonNameGroup Ideographic, DicomPersonNameGroup Phonetic)
{
    public static DicomPersonName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var groups = value.Split('=');
        return new DicomPersonName(
            DicomPersonNameGroup.Parse(groups.Length > 0 ? groups[0] : ""),
            DicomPersonNameGroup.Parse(groups.Length > 1 ? groups[1] : ""),
            DicomPersonNameGroup.Parse(groups.Length > 2 ? groups[2] : ""));
    }

    public string FamilyName => Alphabetic.FamilyName;

    public string GivenName => Alphabetic.GivenName;

    /// <summary>The encoded form with trailing empty components and groups removed.</summary>
    public override string ToString()
    {
        var parts = new[] { Alphabetic.ToString(), Ideographic.ToString(), Phonetic.ToString() };
        var last = parts.Length - 1;
        while (last > 0 && parts[last].Length == 0)
        {
            last--;
        }

        return string.Join('=', parts, 0, last + 1);
    }
}

/// <summary>One component group of a person name.</summary>
public sealed record DicomPersonNameGroup(string FamilyName, string GivenName, string MiddleName, string Prefix, string Suffix)
{
    public static DicomPersonNameGroup Empty { get; } = new("", "", "", "", "");

    public static DicomPersonNameGroup Parse(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.Length == 0)
        {
            return Empty;
        }

        var c = group.Split('^');
        string At(int i) => i < c.Length ? c[i].Trim() : "";
        return new DicomPersonNameGroup(At(0), At(1), At(2), At(3), At(4));
    }

    public bool IsEmpty => FamilyName.Length + GivenName.Length + MiddleName.Length + Prefix.Length + Suffix.Length == 0;

    public override string ToString()
    {
        var parts = new[] { FamilyName, GivenName, MiddleName, Prefix, Suffix };
        var last = parts.Length - 1;
        while (last > 0 && parts[last].Length == 0)
        {
            last--;
        }

        return string.Join('^', parts, 0, last + 1);
    }
}
