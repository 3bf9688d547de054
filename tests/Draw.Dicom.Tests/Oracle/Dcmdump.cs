using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Draw.Dicom.Tests.Oracle;

/// <summary>Result of running dcmtk's dcmdump on one file.</summary>
public sealed record DcmdumpResult(bool Succeeded, bool ConvertedToUtf8, IReadOnlyList<DumpEntry> Entries, string Errors);

/// <summary>
/// Runs dcmdump and parses its output into <see cref="DumpEntry"/> lines. Options: +L (whole values),
/// -M (values over 4 KB not loaded, keeps output small), -Un (UIDs as numbers), +Qn (non-ASCII and control
/// characters quoted as &amp;#NNN; byte references, so multi-line text stays on one line and bytes are exact),
/// +U8 (text converted to UTF-8). When dcmtk cannot convert a character set, the file is dumped again
/// without +U8 and values are then raw bytes in the file's character set.
/// </summary>
public static partial class Dcmdump
{
    // Two dcmdump processes at a time: the machine has two cores shared with other builds.
    private static readonly SemaphoreSlim Gate = new(2);

    public static async Task<DcmdumpResult> RunAsync(string path)
    {
        var (code, output, errors) = await RunProcessAsync(["+L", "-M", "-Un", "+Qn", "+U8", path]);
        var utf8 = true;
        if (code != 0 && (errors.Contains("converting file to UTF-8", StringComparison.Ordinal) || errors.Contains("is not supported by the utilized character set conversion", StringComparison.Ordinal)))
        {
            (code, output, errors) = await RunProcessAsync(["+L", "-M", "-Un", "+Qn", path]);
            utf8 = false;
        }

        var failed = code != 0 || errors.Contains("E: ", StringComparison.Ordinal) || errors.Contains("F: ", StringComparison.Ordinal);
        return new DcmdumpResult(!failed, utf8, failed ? [] : Parse(output, utf8), errors);
    }

    private static async Task<(int Code, string Output, string Errors)> RunProcessAsync(string[] args)
    {
        await Gate.WaitAsync();
        try
        {
            var psi = new ProcessStartInfo("dcmdump")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.Latin1,
                StandardErrorEncoding = Encoding.UTF8,
                UseShellExecute = false,
            };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dcmdump (is dcmtk installed?)");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(timeout.Token);
            return (p.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Gate.Release();
        }
    }

    [GeneratedRegex(@"^(?<indent> *)\((?<g>[0-9a-fA-F]{4}),(?<e>[0-9a-fA-F]{4})\) (?<vr>\S\S) (?<value>.*?) *# *(?<len>u/l|\d+), *(?<vm>\d+) ?(?<name>.*)$")]
    private static partial Regex LineRegex();

    /// <summary>Parses dcmdump's indented output. The meta group is skipped (it is compared separately).</summary>
    public static List<DumpEntry> Parse(string output, bool utf8)
    {
        var entries = new List<DumpEntry>();
        // Per depth: the path prefix of elements at that depth, the current sequence path and its item count.
        var prefix = new List<string> { "" };
        var sequencePath = new Dictionary<int, string>();
        var itemCount = new Dictionary<int, int>();
        var pixelSequence = new Dictionary<int, bool>();
        var inDataset = false;
        foreach (var raw in output.Split('\n'))
        {
            if (raw.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            {
                inDataset = true;
                continue;
            }

            if (!inDataset)
            {
                continue;
            }

            var m = LineRegex().Match(raw.TrimEnd('\r'));
            if (!m.Success)
            {
                continue;
            }

            var depth = m.Groups["indent"].Length / 2;
            var tag = $"({m.Groups["g"].Value},{m.Groups["e"].Value})".ToUpperInvariant();
            // dcmtk's internal VRs: "up" is a UL holding a file offset (DICOMDIR), "ox"/"xs"/"lt" ambiguous ones.
            var vr = m.Groups["vr"].Value switch
            {
                "up" => "UL",
                var other => other,
            };
            var value = m.Groups["value"].Value;
            long? length = m.Groups["len"].Value == "u/l" ? null : long.Parse(m.Groups["len"].Value, CultureInfo.InvariantCulture);
            if (tag is "(FFFE,E00D)" or "(FFFE,E0DD)")
            {
                continue;
            }

            if (tag == "(FFFE,E000)")
            {
                // An item (or fragment) of the sequence one level up.
                var owner = depth - 1;
                if (!sequencePath.TryGetValue(owner, out var seq))
                {
                    entries.Add(new DumpEntry($"?item@{depth}", vr, length, null));
                    continue;
                }

                var index = itemCount[owner]++;
                if (pixelSequence[owner])
                {
                    entries.Add(new DumpEntry($"{seq}{{{index}}}", "pi", length, null));
                    continue;
                }

                var itemPath = $"{seq}[{index}]";
                entries.Add(new DumpEntry(itemPath, "na", null, null));
                SetPrefix(prefix, depth + 1, itemPath + "/");
                continue;
            }

            while (prefix.Count <= depth)
            {
                prefix.Add("?/");
            }

            var path = prefix[depth] + tag;
            if (vr == "SQ" || value.StartsWith("(PixelSequence", StringComparison.Ordinal))
            {
                sequencePath[depth] = path;
                itemCount[depth] = 0;
                pixelSequence[depth] = vr != "SQ";
                entries.Add(new DumpEntry(path, vr, null, null));
                continue;
            }

            if (utf8 && path.EndsWith("(0008,0005)", StringComparison.Ordinal))
            {
                continue;
            }

            entries.Add(new DumpEntry(path, vr, length, ParseValue(value, utf8)));
        }

        return entries;
    }

    private static void SetPrefix(List<string> prefix, int depth, string value)
    {
        while (prefix.Count <= depth)
        {
            prefix.Add("?/");
        }

        prefix[depth] = value;
    }

    /// <summary>Undoes dcmdump's quoting: "[text]" with &amp;#NNN; byte references; "(no value available)" is empty.</summary>
    private static string? ParseValue(string value, bool utf8)
    {
        if (value == "(no value available)")
        {
            return "";
        }

        if (value.StartsWith("(not loaded)", StringComparison.Ordinal) || value.StartsWith('(') && value.EndsWith(')') && !value.StartsWith("(0", StringComparison.Ordinal) && !value.StartsWith("(f", StringComparison.Ordinal))
        {
            return value.StartsWith("(not loaded)", StringComparison.Ordinal) ? null : value;
        }

        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            value = value[1..^1];
        }

        // The process output was read as Latin-1, so each char is one byte; rebuild the bytes, then decode.
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '&')
            {
                var end = value.IndexOf(';', i);
                if (end > i)
                {
                    var entity = value[(i + 1)..end];
                    int? b = entity switch
                    {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ when entity.StartsWith('#') && int.TryParse(entity[1..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                        _ => null,
                    };
                    if (b is { } v)
                    {
                        bytes.Add((byte)v);
                        i = end;
                        continue;
                    }
                }
            }

            bytes.Add((byte)value[i]);
        }

        var array = bytes.ToArray();
        return utf8 ? Encoding.UTF8.GetString(array) : Encoding.Latin1.GetString(array);
    }
}
