using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Tests.Oracle;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests;

/// <summary>Reads every corpus file with DRAW and with dcmdump and compares the elements.</summary>
public sealed class DcmdumpComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_corpus_file_reads_like_dcmdump()
    {
        var files = TestFiles.AllCorpusFiles();
        var failures = new ConcurrentBag<string>();
        var stats = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (path, _) =>
        {
            var problem = await CompareAsync(path, stats);
            if (problem is not null)
            {
                failures.Add($"{TestFiles.Relative(path)}: {problem}");
            }
        });

        foreach (var (k, v) in stats.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{k}: {v}");
        }

        var list = failures.OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.True(list.Count == 0, $"{list.Count} of {files.Count} files differ from dcmdump:\n" + string.Join("\n", list));
    }

    private static async Task<string?> CompareAsync(string path, ConcurrentDictionary<string, int> stats)
    {
        var relative = TestFiles.Relative(path);
        var known = KnownDifferences.For(relative);
        var theirs = await Dcmdump.RunAsync(path);
        DicomFile? ours = null;
        DicomFormatException? error = null;
        try
        {
            ours = DicomFile.Open(path);
        }
        catch (DicomFormatException ex)
        {
            error = ex;
        }
        catch (Exception ex)
        {
            return $"DRAW threw {ex.GetType().Name} instead of DicomFormatException: {ex.Message}";
        }

        if (!theirs.Succeeded)
        {
            if (error is not null)
            {
                stats.AddOrUpdate("both reject", 1, (_, n) => n + 1);
                return error.Message.Contains(path, StringComparison.Ordinal) ? null : "error message does not name the file";
            }

            if (known?.Kind == DifferenceKind.DrawReadsWhatDcmdumpRejects)
            {
                stats.AddOrUpdate("dcmdump rejects, DRAW reads (known)", 1, (_, n) => n + 1);
                return null;
            }

            return $"dcmdump rejects it ({FirstLine(theirs.Errors)}) but DRAW reads it";
        }

        if (error is not null)
        {
            return $"dcmdump reads it but DRAW throws: {error.Message}";
        }

        var mine = DatasetFlattener.Flatten(ours!.Dataset);
        if (theirs.ConvertedToUtf8)
        {
            // dcmdump +U8 converts the dataset to UTF-8 before printing: it rewrites or inserts Specific Character
            // Set (0008,0005) as ISO_IR 192. Those entries say nothing about the file; the charset tests cover them.
            mine.RemoveAll(IsCharsetEntry);
        }

        var problem = Compare(theirs.Entries, mine, theirs.ConvertedToUtf8, known);
        stats.AddOrUpdate(problem is null ? "same" : "different", 1, (_, n) => n + 1);
        if (!theirs.ConvertedToUtf8)
        {
            stats.AddOrUpdate("compared without +U8 (dcmtk cannot convert the charset)", 1, (_, n) => n + 1);
        }

        return problem;
    }

    private static string? Compare(IReadOnlyList<DumpEntry> theirs, List<DumpEntry> mine, bool utf8, KnownDifference? known)
    {
        var sb = new StringBuilder();
        var count = Math.Max(theirs.Count, mine.Count);
        var shown = 0;
        for (var i = 0; i < count && shown < 5; i++)
        {
            var t = i < theirs.Count ? theirs[i] : null;
            var m = i < mine.Count ? mine[i] : null;
            if (t is null || m is null || t.Path != m.Path)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n    structure differs at entry {i}: dcmdump {t} / DRAW {m}");
                break;
            }

            if (known?.Kind == DifferenceKind.ElementsDiffer && known.Paths.Contains(t.Path))
            {
                continue;
            }

            var vrSame = SameVR(t.VR, m.VR);
            if (!vrSame && m.VR == "UN" && IsPrivatePath(m.Path) && DicomVRInfo.TryParse(t.VR, out var dictionaryVR))
            {
                // Rule PrivateDictionary: reinterpret DRAW's UN bytes with dcmtk's private-dictionary VR.
                m = m with { VR = t.VR, Value = m.RawUn is null ? m.Value : Reinterpret(m.RawUn, dictionaryVR) };
                vrSame = true;
            }

            if (t.Length is { } tl && m.Length is { } ml && (ml & 1) == 1 && tl == ml + 1)
            {
                // Rule OddLength.
                t = t with { Length = ml, Value = StripPad(t.Value) };
            }

            // After UTF-8 conversion the byte length of text changes; compare lengths of the other VRs.
            var converted = utf8 && DicomVRInfo.TryParse(m.VR, out var parsedVR) && parsedVR.IsAffectedByCharacterSet();
            var lengthSame = converted || t.Length is null || m.Length is null || t.Length == m.Length;
            var valueSame = t.Value is null || m.Value is null || SameValue(t, m, utf8);
            if (!vrSame || !lengthSame || !valueSame)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n    dcmdump {Shorten(t)}\n    DRAW    {Shorten(m)}");
                shown++;
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    private static bool SameValue(DumpEntry t, DumpEntry m, bool utf8)
    {
        var a = t.Value!;
        var b = m.Value!;
        if (!utf8 && (!Ascii.IsValid(a) || a.Contains('\u001b', StringComparison.Ordinal)))
        {
            // Raw bytes in a charset dcmtk cannot convert: DRAW's decoded text cannot be compared byte for byte.
            return true;
        }

        if (string.Equals(a.TrimEnd(' ', '\0'), b.TrimEnd(' ', '\0'), StringComparison.Ordinal))
        {
            return true;
        }

        var av = a.Split('\\');
        var bv = b.Split('\\');
        if (av.Length != bv.Length)
        {
            return false;
        }

        for (var i = 0; i < av.Length; i++)
        {
            var x = av[i].Trim(' ', '\0');
            var y = bv[i].Trim(' ', '\0');
            if (string.Equals(x, y, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (float.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var fx) && float.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var fy) && fx == fy)
            {
                continue;
            }

            if (double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var dx) && double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var dy)
                && (dx == dy || Math.Abs(dx - dy) <= 1e-6 * Math.Max(Math.Abs(dx), Math.Abs(dy)) || (double.IsNaN(dx) && double.IsNaN(dy))))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    private static bool SameVR(string theirs, string mine) => theirs == mine || theirs switch
    {
        "??" => mine == "UN",
        "xs" => mine is "US" or "SS",
        "ox" => mine is "OB" or "OW",
        "lt" => mine is "US" or "SS" or "OW",
        _ => false,
    };

    private static bool IsPrivatePath(string path)
    {
        var last = path.LastIndexOf('(');
        return DicomTag.TryParse(path[last..], out var tag) && tag.IsPrivate;
    }

    private static string Reinterpret(byte[] bytes, DicomVR vr)
    {
        var ds = new DicomDataset();
        var e = new DicomElement(new DicomTag(0x00090010), vr, bytes);
        ds.Add(e);
        return ds.GetString(e);
    }

    private static string? StripPad(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.EndsWith("\\00", StringComparison.Ordinal))
        {
            return value[..^3];
        }

        return value.TrimEnd(' ', '\0');
    }

    private static bool IsCharsetEntry(DumpEntry e) => e.Path.EndsWith("(0008,0005)", StringComparison.Ordinal);

    private static string Shorten(DumpEntry e)
    {
        var s = e.ToString();
        return s.Length > 300 ? s[..300] + "..." : s;
    }

    private static string FirstLine(string s)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return line.Length > 160 ? line[..160] : line;
    }
}
