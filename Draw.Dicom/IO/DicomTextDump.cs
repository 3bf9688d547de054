using System.Globalization;
using System.Text;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>A readable dump of a dataset: tag, VR, value, length and keyword per line; items indented.</summary>
public static class DicomTextDump
{
    /// <summary>Writes the meta group and dataset of a file.</summary>
    public static void Write(TextWriter output, DicomFile file, int maxValueChars = 80)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(file);
        output.WriteLine($"# File: {file.FilePath}");
        output.WriteLine($"# Transfer syntax: {file.TransferSyntax}{(file.TransferSyntaxDetected ? " (detected, no meta information)" : "")}");
        if (file.HasFileMetaInformation)
        {
            output.WriteLine("# File meta information");
            Write(output, file.FileMetaInformation, 0, maxValueChars);
        }

        output.WriteLine("# Dataset");
        Write(output, file.Dataset, 0, maxValueChars);
    }

    public static void Write(TextWriter output, DicomDataset dataset, int depth = 0, int maxValueChars = 80)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        var indent = new string(' ', depth * 2);
        foreach (var e in dataset)
        {
            var name = DicomDictionary.GetKeyword(e.Tag);
            if (name.Length == 0)
            {
                name = e.Tag.IsPrivate && dataset.GetPrivateCreator(e.Tag) is { } creator ? $"[{creator}]" : "Unknown";
            }

            switch (e)
            {
                case DicomSequence sq:
                    output.WriteLine($"{indent}{e.Tag} SQ ({sq.Items.Count} item(s), {(sq.UndefinedLength ? "undefined length" : "defined length")}) # {name}");
                    for (var i = 0; i < sq.Items.Count; i++)
                    {
                        output.WriteLine($"{indent}  (FFFE,E000) Item #{i + 1}");
                        Write(output, sq.Items[i], depth + 2, maxValueChars);
                    }

                    break;
                case DicomFragmentSequence f:
                    output.WriteLine($"{indent}{e.Tag} {e.VR.Code()} (encapsulated: offset table {f.OffsetTable.Length} bytes, {f.Fragments.Count} fragment(s)) # {name}");
                    for (var i = 0; i < f.Fragments.Count; i++)
                    {
                        var frag = f.Fragments[i];
                        var where = frag.IsInFile ? string.Create(CultureInfo.InvariantCulture, $" at offset {frag.Offset}") : "";
                        output.WriteLine($"{indent}  (FFFE,E000) Fragment #{i + 1} ({frag.Length} bytes{where})");
                    }

                    break;
                default:
                    string value;
                    if (e.BulkData is { IsInFile: true } bulk)
                    {
                        value = string.Create(CultureInfo.InvariantCulture, $"(bulk data, {bulk.Length} bytes at offset {bulk.Offset})");
                    }
                    else if (e.VR.IsString())
                    {
                        value = "[" + Shorten(dataset.GetString(e), maxValueChars) + "]";
                    }
                    else
                    {
                        value = Shorten(DicomValueFormatter.FormatBinary(e, 64), maxValueChars);
                    }

                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}{e.Tag} {e.VR.Code()} {value} # {e.Length}, {name}"));
                    break;
            }
        }
    }

    private static string Shorten(string s, int max)
    {
        var sb = new StringBuilder(Math.Min(s.Length, max + 3));
        foreach (var c in s)
        {
            if (sb.Length >= max)
            {
                sb.Append("...");
                break;
            }

            // Control characters would break the one-line-per-element layout.
            sb.Append(char.IsControl(c) ? '.' : c);
        }

        return sb.ToString();
    }
}
