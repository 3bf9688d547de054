namespace Draw.Dicom.Tests.Oracle;

/// <summary>What a known difference from dcmdump allows for one file.</summary>
public enum DifferenceKind
{
    /// <summary>dcmdump rejects the file; DRAW reads it (the reason says why that is right).</summary>
    DrawReadsWhatDcmdumpRejects,

    /// <summary>Listed element paths differ in VR/value for the stated reason; everything else must match.</summary>
    ElementsDiffer,
}

public sealed record KnownDifference(string File, DifferenceKind Kind, string Reason, params string[] Paths);

/// <summary>
/// Every file where DRAW and dcmdump are allowed to disagree, with the reason. Nothing is skipped silently:
/// a file not listed here must match exactly (structure, VRs, lengths and decoded values).
/// </summary>
public static class KnownDifferences
{
    public static IReadOnlyList<KnownDifference> All { get; } =
    [
        new("test_files/SC_rgb_jpeg.dcm", DifferenceKind.DrawReadsWhatDcmdumpRejects,
            "The meta group says JPEG Baseline (explicit VR) but the dataset is encoded in implicit VR. dcmtk takes the length bytes " +
            "for a non-standard VR, guesses a 2-byte length and runs off the end. DRAW reads an element whose VR bytes are no VR as " +
            "implicit VR little endian (as pydicom does); the result is checked against pydicom."),
    ];

    /// <summary>General rules applied to every file (each is a way dcmtk differs from PS3.5, or a dcmtk feature DRAW lacks).</summary>
    public static IReadOnlyList<string> Rules { get; } =
    [
        "PrivateDictionary: in implicit VR data dcmtk gives private elements the VR of its private dictionaries (GE, Siemens, ...); " +
            "DRAW has no private dictionary and keeps them UN as PS3.5 6.2.2 says. The value is compared after reinterpreting DRAW's bytes with dcmtk's VR.",
        "OddLength: dcmtk pads an odd-length value with one byte when it loads it (shows length+1 and a trailing 00 or space); DRAW keeps the bytes as stored.",
        "AmbiguousVR: dcmtk prints its internal VRs 'xs' (US or SS), 'ox' (OB or OW), 'lt' (US, SS or OW) and 'up' (UL offset) when it does not resolve them; any of the listed VRs matches.",
        "Charset: dcmdump +U8 rewrites Specific Character Set as ISO_IR 192 (inserting it if absent) and prints converted lengths; (0008,0005) entries and text lengths are therefore not compared (CharacterSetTests cover them).",
        "Iso2022: dcmtk with glibc iconv cannot convert ISO 2022 IR 87/159/149/58 and some others; such files are dumped without +U8 and their escaped/non-ASCII text is not compared (CharacterSetTests check the expected Unicode names).",
        "ElementOrder: dcmtk keeps each dataset in tag order whatever the file order; DRAW keeps file order, so the comparison sorts DRAW's elements per dataset.",
    ];

    public static KnownDifference? For(string relativePath)
    {
        foreach (var k in All)
        {
            if (relativePath.EndsWith(k.File, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return null;
    }
}
