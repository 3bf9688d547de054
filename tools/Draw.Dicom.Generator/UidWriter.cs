using System.Globalization;
using System.Text;

namespace Draw.Dicom.Generator;

/// <summary>Writes the UID registry (SOP classes from sops.json, transfer syntaxes from the TSV).</summary>
internal static class UidWriter
{
    public static string Write(List<SopRow> sops, List<TransferSyntaxRow> syntaxes)
    {
        var sb = new StringBuilder(Text.Header);
        sb.Append("namespace Draw.Dicom.Core;\n\n");
        sb.Append("/// <summary>Well-known UIDs: SOP classes (PS3.4) and transfer syntaxes (PS3.6 Table A-1).</summary>\n");
        sb.Append("public static partial class DicomUids\n{\n");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var registry = new List<(string Uid, string Name, string Kind, string Keyword)>();
        foreach (var ts in syntaxes)
        {
            registry.Add((ts.Uid, ts.Name, "TransferSyntax", ts.Keyword));
        }

        foreach (var sop in sops)
        {
            registry.Add((sop.Uid, sop.Name, "SopClass", Text.Identifier(sop.Name)));
        }

        foreach (var (uid, name, _, keyword) in registry)
        {
            if (!seen.Add(keyword))
            {
                throw new InvalidOperationException($"duplicate UID keyword {keyword}");
            }

            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>{Escape(name)}</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public const string {keyword} = {Text.Literal(uid)};\n\n");
        }

        sb.Append("    internal static DicomUidInfo[] CreateRegistry() =>\n    [\n");
        foreach (var (uid, name, kind, keyword) in registry)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        new({Text.Literal(uid)}, {Text.Literal(keyword)}, {Text.Literal(name)}, DicomUidKind.{kind}),\n");
        }

        sb.Append("    ];\n}\n");
        return sb.ToString();
    }

    public static string WriteTransferSyntaxes(List<TransferSyntaxRow> syntaxes)
    {
        var sb = new StringBuilder(Text.Header);
        sb.Append("namespace Draw.Dicom.Core;\n\n");
        sb.Append("public sealed partial class DicomTransferSyntax\n{\n");
        foreach (var ts in syntaxes)
        {
            var (explicitVr, bigEndian, deflated, encapsulated) = ts.Encoding switch
            {
                "implicit-le" => (false, false, false, false),
                "explicit-le" => (true, false, false, false),
                "explicit-be" => (true, true, false, false),
                "deflated-le" => (true, false, true, false),
                "encapsulated-le" => (true, false, false, true),
                _ => throw new FormatException($"unknown encoding {ts.Encoding}"),
            };
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>{Escape(ts.Name)} ({ts.Uid}){(ts.Retired ? ", retired" : "")}</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public static DicomTransferSyntax {ts.Keyword} {{ get; }} = new({Text.Literal(ts.Uid)}, {Text.Literal(ts.Name)}, explicitVR: {Bool(explicitVr)}, bigEndian: {Bool(bigEndian)}, deflated: {Bool(deflated)}, encapsulated: {Bool(encapsulated)}, retired: {Bool(ts.Retired)});\n\n");
        }

        sb.Append("    /// <summary>Every transfer syntax of PS3.6 Table A-1.</summary>\n");
        sb.Append("    public static IReadOnlyList<DicomTransferSyntax> All { get; } =\n    [\n");
        foreach (var ts in syntaxes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        {ts.Keyword},\n");
        }

        sb.Append("    ];\n}\n");
        return sb.ToString();
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
