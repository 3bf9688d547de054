using System.Text;
using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Domain.Privacy;

/// <summary>One identifying value of the originals found in an output. The value itself is only shown masked.</summary>
public sealed record PhiFinding(string OutputFile, string Location, string Category, string MaskedValue)
{
    public override string ToString() => $"{OutputFile}: {Category} {MaskedValue} at {Location}";
}

public sealed record PhiReport(IReadOnlyList<PhiFinding> Findings, int OriginalFiles, int OutputFiles, int IdentifyingValues)
{
    public bool Clean => Findings.Count == 0;
}

/// <summary>A package that failed the PHI check; the message holds only categories, locations and masked values.</summary>
public sealed class PhiCheckFailedException(PhiReport report)
    : Exception($"{report.Findings.Count} identifying value(s) of the originals survive in the output: " + string.Join("; ", report.Findings.Take(5)))
{
    public PhiReport Report { get; } = report;
}

/// <summary>
/// Finds identifying values of the originals (names, IDs, unshifted dates, UIDs, free text) anywhere in an output:
/// in any element value (nested items included) and in the raw bytes of the files outside pixel data. What is
/// identifying follows the profile: every value the profile removes, blanks, replaces or maps is one, except
/// values the originals also carry in attributes the profile keeps (a manufacturer named like a station, say).
/// </summary>
public sealed class PhiChecker(LogMask mask)
{
    private const int MinTextLength = 4;

    public PhiReport Check(IEnumerable<string> originalFiles, IEnumerable<string> outputFiles, ConfidentialityOptions options)
    {
        ArgumentNullException.ThrowIfNull(originalFiles);
        ArgumentNullException.ThrowIfNull(outputFiles);
        var profile = ConfidentialityProfile.For(options);
        var identifying = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var originals = 0;
        foreach (var path in originalFiles)
        {
            DicomFile file;
            try
            {
                file = DicomFile.OpenHeader(path);
            }
            catch (DicomFormatException)
            {
                continue;
            }

            originals++;
            Collect(file.Dataset, profile, options, identifying, kept);
        }

        foreach (var (value, category) in identifying.ToList())
        {
            if (category == "text" && kept.Contains(value))
            {
                identifying.Remove(value);
            }
        }

        var values = identifying.Select(kv => new Needle(kv.Key, kv.Value)).ToArray();
        var uids = values.Where(v => v.Category == "uid").Select(v => v.Value).ToHashSet(StringComparer.Ordinal);
        var dates = values.Where(v => v.Category == "date").Select(v => v.Value).ToHashSet(StringComparer.Ordinal);
        var texts = values.Where(v => v.Category is not "uid" and not "date").ToArray();
        var findings = new List<PhiFinding>();
        var outputs = 0;
        foreach (var path in outputFiles)
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomFormatException)
            {
                findings.Add(new PhiFinding(path, "file", "unreadable", "(not DICOM: cannot be checked)"));
                continue;
            }

            outputs++;
            var name = Path.GetFileName(path);
            var found = new HashSet<string>(StringComparer.Ordinal);
            SearchElements(file.Dataset, "", name, uids, dates, texts, findings, found);
            SearchElements(file.FileMetaInformation, "", name, uids, dates, texts, findings, found);
            SearchBytes(path, file, name, values, findings, found);
        }

        return new PhiReport(findings, originals, outputs, identifying.Count);
    }

    /// <summary>The files of a file or folder argument (recursively).</summary>
    public static IReadOnlyList<string> Files(string fileOrFolder)
    {
        ArgumentNullException.ThrowIfNull(fileOrFolder);
        return File.Exists(fileOrFolder) ? [fileOrFolder]
            : [.. Directory.EnumerateFiles(fileOrFolder, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)];
    }

    private static void Collect(DicomDataset ds, ConfidentialityProfile profile, ConfidentialityOptions options, Dictionary<string, string> identifying, HashSet<string> kept)
    {
        var shifted = (options & ConfidentialityOptions.RetainLongitudinalModifiedDates) != 0;
        var fullDates = (options & ConfidentialityOptions.RetainLongitudinalFullDates) != 0;
        foreach (var e in ds.Elements)
        {
            if (e is DicomSequence sq)
            {
                foreach (var item in sq.Items)
                {
                    Collect(item, profile, options, identifying, kept);
                }

                continue;
            }

            if (e.IsEmpty || e.Tag.IsPrivate || e.BulkData is not null || !e.VR.IsString())
            {
                continue;
            }

            var action = profile.GetAction(e.Tag);
            var removed = action is DeidAction.Remove or DeidAction.Zero or DeidAction.Dummy or DeidAction.ZeroOrDummy or DeidAction.RemoveOrZero
                or DeidAction.RemoveOrDummy or DeidAction.RemoveOrZeroOrDummy or DeidAction.RemoveOrZeroOrUids;
            foreach (var raw in ds.GetStrings(e.Tag))
            {
                var value = raw.Trim();
                if (value.Length == 0)
                {
                    continue;
                }

                switch (e.VR)
                {
                    case DicomVR.UI:
                        if (Deidentifier.IsMappableUid(value))
                        {
                            identifying[value] = "uid";
                        }

                        break;
                    case DicomVR.DA:
                    case DicomVR.DT:
                        if (!fullDates && (removed || shifted || action == DeidAction.Clean) && value.Length >= 8)
                        {
                            identifying[value[..8]] = "date";
                        }

                        break;
                    case DicomVR.PN:
                        if (removed || e.Tag == DicomTags.PatientName)
                        {
                            Add(identifying, value, "name");
                            foreach (var part in value.Split('^', '=', ' '))
                            {
                                if (part.Length >= 3)
                                {
                                    Add(identifying, part, "name");
                                }
                            }
                        }

                        break;
                    case DicomVR.TM:
                    case DicomVR.DS:
                    case DicomVR.IS:
                    case DicomVR.AS:
                        break;
                    default:
                        if (e.Tag == DicomTags.PatientID || e.Tag == DicomTags.OtherPatientIDs || e.Tag == DicomTags.AccessionNumber)
                        {
                            Add(identifying, value, "id");
                        }
                        else if (removed && value.Length >= MinTextLength)
                        {
                            Add(identifying, value, "text");
                        }
                        else if (!removed && action != DeidAction.Clean)
                        {
                            kept.Add(value);
                        }

                        break;
                }
            }
        }
    }

    private static void Add(Dictionary<string, string> identifying, string value, string category)
    {
        if (value.Length < 2 || value is "DEIDENTIFIED" or "ANONYMOUS")
        {
            return;
        }

        // Names and IDs are the stronger categories.
        if (!identifying.TryGetValue(value, out var existing) || existing == "text")
        {
            identifying[value] = category;
        }
    }

    private void SearchElements(DicomDataset ds, string path, string file, HashSet<string> uids, HashSet<string> dates, Needle[] texts, List<PhiFinding> findings, HashSet<string> found)
    {
        foreach (var e in ds.Elements)
        {
            var here = path.Length == 0 ? e.Tag.ToString() : path + ">" + e.Tag;
            if (e is DicomSequence sq)
            {
                for (var i = 0; i < sq.Items.Count; i++)
                {
                    SearchElements(sq.Items[i], here + $"[{i}]", file, uids, dates, texts, findings, found);
                }

                continue;
            }

            if (e.IsEmpty || e.BulkData is not null || !e.VR.IsString())
            {
                continue;
            }

            var text = ds.GetString(e);
            if (e.VR == DicomVR.UI)
            {
                foreach (var v in text.Split('\\'))
                {
                    if (uids.Contains(v.Trim()))
                    {
                        Report(findings, found, file, here, "uid", v.Trim());
                    }
                }

                continue;
            }

            if (e.VR is DicomVR.DA or DicomVR.DT)
            {
                foreach (var v in text.Split('\\'))
                {
                    var t = v.Trim();
                    if (t.Length >= 8 && dates.Contains(t[..8]))
                    {
                        Report(findings, found, file, here, "date", t[..8]);
                    }
                }

                continue;
            }

            foreach (var needle in texts)
            {
                if (ContainsWord(text, needle.Value))
                {
                    Report(findings, found, file, here, needle.Category, needle.Value);
                }
            }

            foreach (var uid in uids)
            {
                if (text.Contains(uid, StringComparison.Ordinal))
                {
                    Report(findings, found, file, here, "uid", uid);
                }
            }
        }
    }

    /// <summary>Raw bytes outside top-level bulk data (pixel data): what a tool reading the file as text would see.</summary>
    private void SearchBytes(string path, DicomFile file, string name, Needle[] needles, List<PhiFinding> findings, HashSet<string> found)
    {
        var bytes = File.ReadAllBytes(path);
        var skip = file.Dataset.Elements.Select(e => e.BulkData).Where(b => b is { IsInFile: true }).Select(b => (Start: b!.Offset, End: b.Offset + b.Length)).OrderBy(r => r.Start).ToList();
        var segments = new List<(int Start, int End)>();
        long position = 0;
        foreach (var (start, end) in skip)
        {
            segments.Add(((int)position, (int)Math.Min(start, bytes.Length)));
            position = Math.Max(position, end);
        }

        segments.Add(((int)Math.Min(position, bytes.Length), bytes.Length));
        foreach (var needle in needles)
        {
            if (found.Contains(needle.Value))
            {
                continue;
            }

            var pattern = Encoding.UTF8.GetBytes(needle.Value);
            foreach (var (segStart, segEnd) in segments)
            {
                if (FindInSegment(bytes, segStart, segEnd, pattern, needle.Category) is { } offset)
                {
                    Report(findings, found, name, $"byte offset {offset}", needle.Category, needle.Value);
                    break;
                }
            }
        }
    }

    private static int? FindInSegment(byte[] bytes, int segStart, int segEnd, byte[] pattern, string category)
    {
        var at = segStart;
        while (at < segEnd)
        {
            var span = bytes.AsSpan(at, segEnd - at);
            var i = category is "name" or "text" ? IndexOfIgnoreCase(span, pattern) : span.IndexOf(pattern);
            if (i < 0)
            {
                return null;
            }

            var start = at + i;
            var end = start + pattern.Length;
            if (IsBoundary(bytes, start - 1, category) && IsBoundary(bytes, end, category))
            {
                return start;
            }

            at = start + 1;
        }

        return null;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> haystack, byte[] pattern)
    {
        if (pattern.Length == 0)
        {
            return -1;
        }

        var lower = char.ToLowerInvariant((char)pattern[0]);
        var upper = char.ToUpperInvariant((char)pattern[0]);
        var offset = 0;
        while (true)
        {
            var i = lower < 128 && upper < 128 ? haystack[offset..].IndexOfAny((byte)lower, (byte)upper) : haystack[offset..].IndexOf(pattern[0]);
            if (i < 0)
            {
                return -1;
            }

            var start = offset + i;
            if (start + pattern.Length > haystack.Length)
            {
                return -1;
            }

            if (Ascii.EqualsIgnoreCase(haystack.Slice(start, pattern.Length), pattern))
            {
                return start;
            }

            offset = start + 1;
        }
    }

    private static bool IsBoundary(byte[] bytes, int index, string category)
    {
        if (index < 0 || index >= bytes.Length)
        {
            return true;
        }

        var c = (char)bytes[index];
        return category is "uid" or "date" ? !char.IsAsciiDigit(c) && c != '.' : !char.IsAsciiLetterOrDigit(c);
    }

    private static bool ContainsWord(string text, string value)
    {
        var start = 0;
        while (true)
        {
            var i = text.IndexOf(value, start, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                return false;
            }

            var end = i + value.Length;
            if ((i == 0 || !char.IsLetterOrDigit(text[i - 1])) && (end >= text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }

            start = i + 1;
        }
    }

    private void Report(List<PhiFinding> findings, HashSet<string> found, string file, string location, string category, string value)
    {
        found.Add(value);
        findings.Add(new PhiFinding(file, location, category, mask.Mask(value)));
    }

    private readonly record struct Needle(string Value, string Category);
}
