using System.Globalization;
using System.Text;

namespace Draw.Domain.Export;

/// <summary>
/// Placeholder patterns for folder destinations ({PatientID}, {StudyDate}, {SOPInstanceUID},
/// {Timestamp}...): validation that names any unknown placeholder, and expansion into a target path
/// that always stays under the destination's root, each value made safe as a file name.
/// </summary>
public static class ExportNaming
{
    /// <summary>The DRAW RTSST name: DRAW_HospitalID_SOPInstanceUID.dcm.</summary>
    public const string DefaultFileName = "DRAW_{PatientID}_{SOPInstanceUID}.dcm";

    public const string TimestampFormat = "yyyyMMdd_HHmmss";

    private static readonly Dictionary<string, Func<ExportFacts, DateTime, string?>> Values = new(StringComparer.Ordinal)
    {
        ["PatientID"] = (f, _) => f.PatientId,
        ["PatientName"] = (f, _) => f.PatientName,
        ["StudyDate"] = (f, _) => f.StudyDate,
        ["StudyTime"] = (f, _) => f.StudyTime,
        ["Modality"] = (f, _) => f.Modality,
        ["SOPInstanceUID"] = (f, _) => f.SopInstanceUid,
        ["SeriesInstanceUID"] = (f, _) => f.SeriesInstanceUid,
        ["StudyInstanceUID"] = (f, _) => f.StudyInstanceUid,
        ["AccessionNumber"] = (f, _) => f.AccessionNumber,
        ["StudyDescription"] = (f, _) => f.StudyDescription,
        ["SeriesDescription"] = (f, _) => f.SeriesDescription,
        ["Timestamp"] = (_, t) => t.ToString(TimestampFormat, CultureInfo.InvariantCulture),
        ["Date"] = (_, t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
    };

    public static IReadOnlyCollection<string> Placeholders => Values.Keys;

    /// <summary>Problems with a pattern, each naming <paramref name="field"/> and the placeholder; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string? pattern, string field, bool allowEmpty)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(pattern))
        {
            if (!allowEmpty)
            {
                problems.Add($"{field} must not be empty.");
            }

            return problems;
        }

        foreach (var token in Tokens(pattern))
        {
            if (token.Placeholder is { } name && !Values.ContainsKey(name))
            {
                problems.Add($"{field}: unknown placeholder {{{name}}} (known: {string.Join(" ", Values.Keys.Select(k => "{" + k + "}"))}).");
            }
            else if (token.Error is { } error)
            {
                problems.Add($"{field}: {error}");
            }
        }

        return problems;
    }

    /// <summary>Expands a pattern into one safe file or folder name.</summary>
    public static string ExpandName(string pattern, ExportFacts facts, DateTime timestamp)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(facts);
        var builder = new StringBuilder();
        foreach (var token in Tokens(pattern))
        {
            if (token.Error is not null || (token.Placeholder is { } unknown && !Values.ContainsKey(unknown)))
            {
                throw new InvalidPatternException(string.Join(" ", Validate(pattern, "pattern", allowEmpty: false)));
            }

            builder.Append(token.Placeholder is { } name ? SafeFileName.Clean(Values[name](facts, timestamp) ?? "") : token.Literal);
        }

        return SafeFileName.Clean(builder.ToString());
    }

    /// <summary>
    /// The full target path of a folder destination: root / expanded path segments / expanded file
    /// name. <paramref name="timestamp"/> is local time, chosen once per delivery.
    /// </summary>
    public static string FolderTarget(ExportDestination destination, ExportFacts facts, DateTime timestamp)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var root = Path.GetFullPath(destination.FolderRoot ?? throw new InvalidPatternException("the destination has no folder root"));
        var folder = root;
        foreach (var segment in (destination.PathPattern ?? "").Split('/', '\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            folder = Path.Combine(folder, ExpandName(segment, facts, timestamp));
        }

        var target = Path.GetFullPath(Path.Combine(folder, ExpandName(destination.FileNamePattern, facts, timestamp)));
        // Every component is cleaned, so this cannot fail; checked anyway because a path outside the root is never acceptable.
        return target.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? target
            : throw new InvalidPatternException("the patterns lead outside the folder root");
    }

    /// <summary>Write-back's name: RS_PatientID_DRAW_yyyyMMdd_HHmmss.dcm (the DRAW client's).</summary>
    public static string WriteBackName(string? patientId, DateTime timestamp) =>
        $"RS_{SafeFileName.Clean(patientId)}_DRAW_{timestamp.ToString(TimestampFormat, CultureInfo.InvariantCulture)}.dcm";

    private static IEnumerable<Token> Tokens(string pattern)
    {
        var i = 0;
        while (i < pattern.Length)
        {
            var open = pattern.IndexOf('{', i);
            var close = pattern.IndexOf('}', i);
            if (close >= 0 && (open < 0 || close < open))
            {
                yield return new Token(null, null, $"'}}' at position {close + 1} has no '{{'.");
                yield break;
            }

            if (open < 0)
            {
                yield return new Token(pattern[i..], null, null);
                yield break;
            }

            if (open > i)
            {
                yield return new Token(pattern[i..open], null, null);
            }

            if (close < 0)
            {
                yield return new Token(null, null, $"'{{' at position {open + 1} is not closed.");
                yield break;
            }

            yield return new Token(null, pattern[(open + 1)..close].Trim(), null);
            i = close + 1;
        }
    }

    private sealed record Token(string? Literal, string? Placeholder, string? Error);
}

/// <summary>A naming pattern that cannot be expanded; the message names the problem.</summary>
public sealed class InvalidPatternException(string message) : Exception(message);
