using System.Text;
using Draw.Dicom.Core;

namespace Draw.Dicom.Anonymization;

/// <summary>
/// The patient's identifying values taken from the original header (names and their parts, IDs, accession
/// number, birth date). Cleaning a descriptor (action C) removes every occurrence of them from the text.
/// </summary>
internal sealed class Identifiers
{
    private readonly string[] _values;

    private Identifiers(string[] values)
    {
        _values = values;
    }

    public IReadOnlyList<string> Values => _values;

    public static Identifiers From(DicomDataset ds)
    {
        var values = new List<string>();
        void Add(string? s)
        {
            s = s?.Trim();
            if (s is { Length: >= 2 } && !values.Contains(s, StringComparer.OrdinalIgnoreCase))
            {
                values.Add(s);
            }
        }

        Add(ds.GetString(DicomTags.PatientID));
        foreach (var id in ds.GetStrings(DicomTags.OtherPatientIDs))
        {
            Add(id);
        }

        Add(ds.GetString(DicomTags.AccessionNumber));
        Add(ds.GetString(DicomTags.PatientBirthDate));
        Add(ds.GetString(DicomTags.MedicalRecordLocator));
        foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientBirthName, DicomTags.PatientMotherBirthName, DicomTags.OtherPatientNames })
        {
            foreach (var name in ds.GetStrings(tag))
            {
                Add(name);
                foreach (var part in name.Split('^', '=', ' '))
                {
                    Add(part);
                }
            }
        }

        // Longest first, so "John Smith" goes before "John".
        values.Sort((a, b) => b.Length.CompareTo(a.Length));
        return new Identifiers([.. values]);
    }

    /// <summary>The element with every identifier removed from its text; null when nothing had to change.</summary>
    public DicomElement? Scrub(DicomDataset ds, DicomElement e)
    {
        if (e.IsEmpty || _values.Length == 0)
        {
            return null;
        }

        var text = ds.GetString(e);
        var cleaned = Remove(text);
        if (cleaned == text)
        {
            return null;
        }

        cleaned = cleaned.Trim();
        var bytes = e.VR.IsAffectedByCharacterSet() ? ds.CharacterSet.Encode(cleaned, e.VR) : Encoding.ASCII.GetBytes(cleaned);
        return new DicomElement(e.Tag, e.VR, DicomDataset.Pad(bytes, e.VR));
    }

    /// <summary>Removes identifiers that stand as words (not inside a longer word or number).</summary>
    public string Remove(string text)
    {
        foreach (var value in _values)
        {
            var start = 0;
            while (start < text.Length)
            {
                var at = text.IndexOf(value, start, StringComparison.OrdinalIgnoreCase);
                if (at < 0)
                {
                    break;
                }

                var end = at + value.Length;
                if (IsBoundary(text, at - 1) && IsBoundary(text, end))
                {
                    text = string.Concat(text.AsSpan(0, at), text.AsSpan(end));
                    start = at;
                }
                else
                {
                    start = at + 1;
                }
            }
        }

        return text;
    }

    private static bool IsBoundary(string text, int index) => index < 0 || index >= text.Length || !char.IsLetterOrDigit(text[index]);
}

/// <summary>PS3.16 CID 7050 codes for De-identification Method Code Sequence (0012,0064).</summary>
public static class DeidentificationCodes
{
    public static IReadOnlyList<(string Value, string Meaning)> For(ConfidentialityOptions options)
    {
        var codes = new List<(string, string)> { ("113100", "Basic Application Confidentiality Profile") };
        if ((options & ConfidentialityOptions.CleanDescriptors) != 0)
        {
            codes.Add(("113105", "Clean Descriptors Option"));
        }

        if ((options & ConfidentialityOptions.RetainLongitudinalFullDates) != 0)
        {
            codes.Add(("113106", "Retain Longitudinal Temporal Information Full Dates Option"));
        }

        if ((options & ConfidentialityOptions.RetainLongitudinalModifiedDates) != 0)
        {
            codes.Add(("113107", "Retain Longitudinal Temporal Information Modified Dates Option"));
        }

        if ((options & ConfidentialityOptions.RetainPatientCharacteristics) != 0)
        {
            codes.Add(("113108", "Retain Patient Characteristics Option"));
        }

        if ((options & ConfidentialityOptions.RetainDeviceIdentity) != 0)
        {
            codes.Add(("113109", "Retain Device Identity Option"));
        }

        if ((options & ConfidentialityOptions.RetainSafePrivate) != 0)
        {
            codes.Add(("113111", "Retain Safe Private Option"));
        }

        if ((options & ConfidentialityOptions.RetainInstitutionIdentity) != 0)
        {
            codes.Add(("113112", "Retain Institution Identity Option"));
        }

        return codes;
    }
}
