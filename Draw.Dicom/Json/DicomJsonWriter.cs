using System.Globalization;
using System.Text;
using System.Text.Json;
using Draw.Dicom.Core;
using Draw.Dicom.Core.Values;

namespace Draw.Dicom.Json;

/// <summary>What to do with bulk data (binary VRs, pixel data) in the JSON model.</summary>
public enum DicomJsonBulkDataMode
{
    /// <summary>Write only "vr" for binary values larger than the inline threshold.</summary>
    Omit,

    /// <summary>Write every value as base64 InlineBinary.</summary>
    Inline,

    /// <summary>Write a BulkDataURI from <see cref="DicomJsonOptions.BulkDataUri"/> for values above the threshold.</summary>
    Uri,
}

public sealed record DicomJsonOptions
{
    public static DicomJsonOptions Default { get; } = new();

    public DicomJsonBulkDataMode BulkDataMode { get; init; } = DicomJsonBulkDataMode.Omit;

    /// <summary>Binary values up to this many bytes are always written inline.</summary>
    public int InlineThreshold { get; init; } = 1024;

    /// <summary>Makes the BulkDataURI of an element (Uri mode). The list is the sequence path of tags.</summary>
    public Func<IReadOnlyList<DicomTag>, DicomElement, string>? BulkDataUri { get; init; }

    public bool Indented { get; init; } = true;
}

/// <summary>Writes the DICOM JSON model (PS3.18 F.2) of a dataset.</summary>
public static class DicomJsonWriter
{
    public static string Serialize(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        using var ms = new MemoryStream();
        Write(ms, dataset, options);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static void Write(Stream output, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DicomJsonOptions.Default;
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = options.Indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        WriteDataset(writer, dataset, options, []);
        writer.Flush();
    }

    private static void WriteDataset(Utf8JsonWriter w, DicomDataset ds, DicomJsonOptions options, List<DicomTag> path)
    {
        w.WriteStartObject();
        foreach (var e in ds)
        {
            w.WritePropertyName(e.Tag.Value.ToString("X8", CultureInfo.InvariantCulture));
            w.WriteStartObject();
            var vr = e.VR == DicomVR.None ? DicomVR.UN : e.VR;
            w.WriteString("vr", e is DicomSequence ? "SQ" : vr.Code());
            path.Add(e.Tag);
            WriteValue(w, ds, e, vr, options, path);
            path.RemoveAt(path.Count - 1);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, DicomDataset ds, DicomElement e, DicomVR vr, DicomJsonOptions options, List<DicomTag> path)
    {
        if (e is DicomSequence sq)
        {
            if (sq.Items.Count == 0)
            {
                return;
            }

            w.WriteStartArray("Value");
            foreach (var item in sq.Items)
            {
                WriteDataset(w, item, options, path);
            }

            w.WriteEndArray();
            return;
        }

        if (e is DicomFragmentSequence)
        {
            WriteBulk(w, e, options, path, inline: null);
            return;
        }

        if (e.IsEmpty)
        {
            return;
        }

        switch (vr)
        {
            case DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN:
                var small = e.BulkData is null && e.Length <= options.InlineThreshold;
                WriteBulk(w, e, options, path, small || options.BulkDataMode == DicomJsonBulkDataMode.Inline ? e : null);
                return;
            case DicomVR.PN:
                w.WriteStartArray("Value");
                foreach (var s in ds.GetStrings(e.Tag))
                {
                    if (s.Length == 0)
                    {
                        w.WriteNullValue();
                        continue;
                    }

                    var groups = s.Split('=');
                    w.WriteStartObject();
                    string[] names = ["Alphabetic", "Ideographic", "Phonetic"];
                    for (var i = 0; i < groups.Length && i < 3; i++)
                    {
                        if (groups[i].Length > 0)
                        {
                            w.WriteString(names[i], groups[i]);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                return;
            case DicomVR.DS or DicomVR.IS:
                w.WriteStartArray("Value");
                foreach (var s in ds.GetStrings(e.Tag))
                {
                    if (s.Length == 0)
                    {
                        w.WriteNullValue();
                    }
                    else if (vr == DicomVR.IS && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                    {
                        w.WriteNumberValue(l);
                    }
                    else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    {
                        w.WriteNumberValue(d);
                    }
                    else
                    {
                        // Not a number (invalid data): keep the text rather than lose it.
                        w.WriteStringValue(s);
                    }
                }

                w.WriteEndArray();
                return;
            case DicomVR.AT:
                w.WriteStartArray("Value");
                foreach (var t in ds.GetAttributeTags(e.Tag))
                {
                    w.WriteStringValue(t.Value.ToString("X8", CultureInfo.InvariantCulture));
                }

                w.WriteEndArray();
                return;
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
                w.WriteStartArray("Value");
                var count = e.Length / vr.UnitSize();
                for (var i = 0; i < count; i++)
                {
                    WriteNumber(w, e, vr, i);
                }

                w.WriteEndArray();
                return;
            default:
                w.WriteStartArray("Value");
                foreach (var s in ds.GetStrings(e.Tag))
                {
                    if (s.Length == 0)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteStringValue(s);
                    }
                }

                w.WriteEndArray();
                return;
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, DicomElement e, DicomVR vr, int index)
    {
        var span = e.GetBytes().Span.Slice(index * vr.UnitSize(), vr.UnitSize());
        switch (vr)
        {
            case DicomVR.SV:
                w.WriteNumberValue(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(span));
                break;
            case DicomVR.UV:
                w.WriteNumberValue(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(span));
                break;
            case DicomVR.FL:
                var f = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(span);
                if (float.IsFinite(f))
                {
                    w.WriteNumberValue(f);
                }
                else
                {
                    w.WriteStringValue(f.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case DicomVR.FD:
                var d = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(span);
                if (double.IsFinite(d))
                {
                    w.WriteNumberValue(d);
                }
                else
                {
                    w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            default:
                DicomDataset.TryGetBinaryNumber(e, index, out var v);
                w.WriteNumberValue((long)v);
                break;
        }
    }

    private static void WriteBulk(Utf8JsonWriter w, DicomElement e, DicomJsonOptions options, List<DicomTag> path, DicomElement? inline)
    {
        if (inline is not null)
        {
            w.WriteBase64String("InlineBinary", inline.GetBytes().Span);
            return;
        }

        if (options.BulkDataMode == DicomJsonBulkDataMode.Uri && options.BulkDataUri is { } factory)
        {
            w.WriteString("BulkDataURI", factory(path, e));
        }
    }
}
