using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Draw.Dicom.Generator;

/// <summary>
/// Writes the generated tables of Draw.Dicom (data dictionary, tag keywords, UID registry, transfer
/// syntaxes) from the standard's tables in ../shared/dicom-standard and the hand-written
/// transfer-syntaxes.tsv. The output is checked in; rerun this tool when the inputs change.
/// Usage: Draw.Dicom.Generator [STANDARD_DIR [OUTPUT_DIR [PROFILE_OUTPUT_DIR]]] (defaults found from the folder holding Draw.sln).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var repoRoot = FindRepoRoot();
        var standardDir = args.Length > 0 ? args[0] : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "dicom-standard"));
        var outputDir = args.Length > 1 ? args[1] : Path.Combine(repoRoot, "Draw.Dicom", "Core", "Generated");
        var tsvPath = Path.Combine(repoRoot, "tools", "Draw.Dicom.Generator", "transfer-syntaxes.tsv");

        var attributes = AttributeRow.Load(Path.Combine(standardDir, "attributes.json"));
        var sops = SopRow.Load(Path.Combine(standardDir, "sops.json"));
        var syntaxes = TransferSyntaxRow.Load(tsvPath);

        Directory.CreateDirectory(outputDir);
        Write(outputDir, "DicomDictionaryData.Generated.cs", DictionaryWriter.Write(attributes));
        Write(outputDir, "DicomTags.Generated.cs", DictionaryWriter.WriteTagKeywords(attributes));
        Write(outputDir, "DicomUids.Generated.cs", UidWriter.Write(sops, syntaxes));
        Write(outputDir, "DicomTransferSyntax.Generated.cs", UidWriter.WriteTransferSyntaxes(syntaxes));

        // PS3.15 Table E.1-1 goes beside the engine that applies it.
        var profile = ProfileRow.Load(Path.Combine(standardDir, "confidentiality_profile_attributes.json"));
        var profileDir = args.Length > 2 ? args[2] : Path.Combine(repoRoot, "Draw.Dicom", "Anonymization", "Generated");
        Directory.CreateDirectory(profileDir);
        Write(profileDir, "ConfidentialityProfile.Generated.cs", ProfileWriter.Write(profile));
        Console.WriteLine($"generated {profile.Count} confidentiality profile rows into {profileDir}");
        Console.WriteLine($"generated {attributes.Count} attributes, {sops.Count} SOP classes, {syntaxes.Count} transfer syntaxes into {outputDir}");
        return 0;
    }

    private static void Write(string dir, string name, string text)
    {
        File.WriteAllText(Path.Combine(dir, name), text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Draw.sln")))
            {
                return dir.FullName;
            }
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Draw.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the folder holding Draw.sln");
    }
}

/// <summary>One row of attributes.json (PS3.6 tables 6-1, 7-1, 8-1, 9-1).</summary>
internal sealed record AttributeRow(string Tag, string Keyword, string Name, string Vr, string Vm, bool Retired)
{
    /// <summary>Tag with X digits replaced by 0, as a number.</summary>
    public uint Value => uint.Parse(Tag.Replace("x", "0", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>Bits that must match for a repeating-group tag; all ones for an ordinary tag.</summary>
    public uint Mask
    {
        get
        {
            uint mask = 0;
            foreach (var c in Tag)
            {
                mask = (mask << 4) | (c is 'x' or 'X' ? 0u : 0xFu);
            }

            return mask;
        }
    }

    public static List<AttributeRow> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var rows = new List<AttributeRow>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var tag = e.GetProperty("tag").GetString()!.Trim('(', ')').Replace(",", "", StringComparison.Ordinal);
            rows.Add(new AttributeRow(
                tag,
                e.GetProperty("keyword").GetString() ?? "",
                e.GetProperty("name").GetString() ?? "",
                e.GetProperty("valueRepresentation").GetString() ?? "",
                e.GetProperty("valueMultiplicity").GetString() ?? "",
                e.GetProperty("retired").GetString() == "Y"));
        }

        rows.Sort((a, b) => a.Value.CompareTo(b.Value));
        return rows;
    }
}

internal sealed record SopRow(string Uid, string Name)
{
    public static List<SopRow> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var rows = new List<SopRow>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            rows.Add(new SopRow(e.GetProperty("id").GetString()!.Trim(), e.GetProperty("name").GetString()!.Trim()));
        }

        return rows;
    }
}

internal sealed record TransferSyntaxRow(string Uid, string Keyword, string Name, string Encoding, bool Retired)
{
    public static List<TransferSyntaxRow> Load(string path)
    {
        var rows = new List<TransferSyntaxRow>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length != 5)
            {
                throw new FormatException($"transfer-syntaxes.tsv: expected 5 tab-separated fields: {line}");
            }

            rows.Add(new TransferSyntaxRow(f[0], f[1], f[2], f[3], f[4] == "Y"));
        }

        return rows;
    }
}

internal static class Text
{
    public static string Literal(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Turns a registry name into a C# identifier: "12-lead ECG Waveform Storage" → "_12LeadECGWaveformStorage".</summary>
    public static string Identifier(string name)
    {
        var sb = new StringBuilder();
        var upperNext = true;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                upperNext = true;
            }
        }

        if (sb.Length > 0 && char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }

    public const string Header = "// <auto-generated>\n// Generated by tools/Draw.Dicom.Generator from ../shared/dicom-standard (see its SOURCE.txt)\n// and tools/Draw.Dicom.Generator/transfer-syntaxes.tsv. Do not edit; rerun the generator.\n// </auto-generated>\n";
}
