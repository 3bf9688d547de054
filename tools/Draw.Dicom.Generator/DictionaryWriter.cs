using System.Globalization;
using System.Text;

namespace Draw.Dicom.Generator;

/// <summary>Writes the data dictionary as compact static tables (no per-entry objects at start-up).</summary>
internal static class DictionaryWriter
{
    public static string Write(List<AttributeRow> rows)
    {
        var exact = rows.Where(r => r.Mask == 0xFFFFFFFF).ToList();
        var masked = rows.Where(r => r.Mask != 0xFFFFFFFF).ToList();
        var vrSets = new List<string>();
        var vms = new List<string>();

        var sb = new StringBuilder(Text.Header);
        sb.Append("namespace Draw.Dicom.Core;\n\n");
        sb.Append("/// <summary>The PS3.6 data dictionary as parallel tables sorted by tag; read through <see cref=\"DicomDictionary\"/>.</summary>\n");
        sb.Append("internal static class DicomDictionaryData\n{\n");
        WriteTable(sb, "", exact, vrSets, vms);
        WriteTable(sb, "Masked", masked, vrSets, vms);
        sb.Append("    /// <summary>Masks of the repeating-group entries (an X digit of the tag is 0 in the mask).</summary>\n");
        sb.Append("    internal static ReadOnlySpan<uint> MaskedMasks =>\n    [\n");
        foreach (var chunk in masked.Chunk(8))
        {
            sb.Append("        ").AppendJoin(", ", chunk.Select(r => string.Create(CultureInfo.InvariantCulture, $"0x{r.Mask:X8}"))).Append(",\n");
        }

        sb.Append("    ];\n\n");
        sb.Append("    /// <summary>Allowed VRs of each entry; more than one for \"US or SS\" and the like, none for items and delimiters.</summary>\n");
        sb.Append("    internal static readonly DicomVR[][] VrSets =\n    [\n");
        foreach (var set in vrSets)
        {
            var parts = SplitVr(set);
            sb.Append("        [").AppendJoin(", ", parts.Select(p => "DicomVR." + p)).Append("],\n");
        }

        sb.Append("    ];\n\n");
        sb.Append("    internal static readonly string[] Multiplicities =\n    [\n");
        foreach (var vm in vms)
        {
            sb.Append("        ").Append(Text.Literal(vm)).Append(",\n");
        }

        sb.Append("    ];\n}\n");
        return sb.ToString();
    }

    private static void WriteTable(StringBuilder sb, string prefix, List<AttributeRow> rows, List<string> vrSets, List<string> vms)
    {
        sb.Append(CultureInfo.InvariantCulture, $"    internal const int {prefix}Count = {rows.Count};\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"    internal static ReadOnlySpan<uint> {prefix}Tags =>\n    [\n");
        foreach (var chunk in rows.Chunk(8))
        {
            sb.Append("        ").AppendJoin(", ", chunk.Select(r => string.Create(CultureInfo.InvariantCulture, $"0x{r.Value:X8}"))).Append(",\n");
        }

        sb.Append("    ];\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Index into <see cref=\"VrSets\"/>.</summary>\n    internal static ReadOnlySpan<byte> {prefix}VrSetIndex =>\n    [\n");
        WriteBytes(sb, rows.Select(r => IndexOf(vrSets, NormaliseVr(r.Vr))));
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Index into <see cref=\"Multiplicities\"/>.</summary>\n    internal static ReadOnlySpan<byte> {prefix}VmIndex =>\n    [\n");
        WriteBytes(sb, rows.Select(r => IndexOf(vms, r.Vm)));
        sb.Append(CultureInfo.InvariantCulture, $"    internal static ReadOnlySpan<byte> {prefix}Retired =>\n    [\n");
        WriteBytes(sb, rows.Select(r => r.Retired ? 1 : 0));
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Keywords in table order, separated by '\\n'.</summary>\n    internal const string {prefix}Keywords =\n");
        WriteJoined(sb, rows.Select(r => r.Keyword));
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Names in table order, separated by '\\n'.</summary>\n    internal const string {prefix}Names =\n");
        WriteJoined(sb, rows.Select(r => r.Name));
    }

    private static void WriteBytes(StringBuilder sb, IEnumerable<int> values)
    {
        foreach (var chunk in values.Chunk(32))
        {
            sb.Append("        ").AppendJoin(", ", chunk.Select(v => v.ToString(CultureInfo.InvariantCulture))).Append(",\n");
        }

        sb.Append("    ];\n\n");
    }

    private static void WriteJoined(StringBuilder sb, IEnumerable<string> values)
    {
        var list = values.ToList();
        for (var i = 0; i < list.Count; i += 16)
        {
            var part = string.Join("\n", list.Skip(i).Take(16)) + (i + 16 < list.Count ? "\n" : "");
            sb.Append("        ").Append(Text.Literal(part)).Append(i + 16 < list.Count ? " +\n" : ";\n\n");
        }

        if (list.Count == 0)
        {
            sb.Append("        \"\";\n\n");
        }
    }

    private static int IndexOf(List<string> list, string value)
    {
        var i = list.IndexOf(value);
        if (i < 0)
        {
            list.Add(value);
            i = list.Count - 1;
        }

        if (i > 255)
        {
            throw new InvalidOperationException("too many distinct values for a byte index");
        }

        return i;
    }

    private static string NormaliseVr(string vr) => vr.Length == 2 || vr.Contains(" or ", StringComparison.Ordinal) ? vr : "";

    private static string[] SplitVr(string vr) =>
        vr.Length == 0 ? [] : vr.Split(" or ", StringSplitOptions.TrimEntries);

    public static string WriteTagKeywords(List<AttributeRow> rows)
    {
        var sb = new StringBuilder(Text.Header);
        sb.Append("namespace Draw.Dicom.Core;\n\n");
        sb.Append("/// <summary>Every data element of PS3.6 by keyword; repeating groups (60xx, 50xx...) give their first group.</summary>\n");
        sb.Append("public static partial class DicomTags\n{\n");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.Keyword.Length == 0 || !seen.Add(r.Keyword))
            {
                continue;
            }

            var retired = r.Retired ? " (retired)" : "";
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>({r.Tag[..4]},{r.Tag[4..]}) {Escape(r.Name)}, {r.Vr} {r.Vm}{retired}</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public static DicomTag {r.Keyword} => new(0x{r.Value:X8});\n\n");
        }

        sb.Length--;
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
