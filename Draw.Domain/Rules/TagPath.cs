using System.Globalization;
using System.Text;
using Draw.Dicom.Core;

namespace Draw.Domain.Rules;

/// <summary>One step of a <see cref="TagPath"/>: a tag and, for a sequence, which item (null: any item).</summary>
public readonly record struct TagPathStep(DicomTag Tag, int? Item);

/// <summary>
/// Which attribute a rule reads: a tag, or a path into sequences such as
/// <c>(0008,1032)[0](0008,0100)</c> (the Code Value of the first Procedure Code item). A sequence
/// step without an index, or with [*], means any item. Keywords may stand for tags:
/// <c>ProcedureCodeSequence[0].CodeValue</c>. The canonical text uses (gggg,eeee) and [n] or [*].
/// </summary>
public sealed class TagPath
{
    private TagPath(TagPathStep[] steps)
    {
        Steps = steps;
        Text = Format(steps, keywords: false);
        Display = Format(steps, keywords: true);
    }

    public IReadOnlyList<TagPathStep> Steps { get; }

    /// <summary>The attribute the path ends at.</summary>
    public DicomTag Leaf => Steps[^1].Tag;

    /// <summary>Canonical text, e.g. "(0008,1032)[0](0008,0100)"; what is stored.</summary>
    public string Text { get; }

    /// <summary>Readable text, e.g. "ProcedureCodeSequence[0].CodeValue (0008,1032)[0](0008,0100)".</summary>
    public string Display { get; }

    /// <summary>The keyword form alone, e.g. "ProcedureCodeSequence[0].CodeValue" (what the editor shows in its input).</summary>
    public string Keywords => Display[..(Display.Length - Text.Length - 1)];

    /// <summary>The leaf's dictionary entry, or null for private and unknown tags.</summary>
    public DicomDictionaryEntry? Entry => DicomDictionary.Find(Leaf);

    public static TagPath Single(DicomTag tag) => new([new TagPathStep(tag, null)]);

    public static TagPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException(error);

    public static bool TryParse(string? text, out TagPath path, out string error)
    {
        path = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the tag is empty";
            return false;
        }

        var steps = new List<TagPathStep>();
        var lastHadIndex = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '.' or '/' or ' ' or '>')
            {
                i++;
                continue;
            }

            DicomTag tag;
            if (c == '(')
            {
                var close = text.IndexOf(')', i);
                if (close < 0 || !DicomTag.TryParse(text[i..(close + 1)], out tag))
                {
                    error = $"'{text}' is not a tag as (gggg,eeee) at position {i + 1}";
                    return false;
                }

                i = close + 1;
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
                {
                    i++;
                }

                var word = text[start..i];
                if (!DicomDictionary.TryGetTag(word, out tag) && !(word.Length == 8 && DicomTag.TryParse(word, out tag)))
                {
                    error = $"'{word}' is neither a DICOM keyword nor a tag as (gggg,eeee)";
                    return false;
                }
            }
            else
            {
                error = $"unexpected '{c}' at position {i + 1} of '{text}'";
                return false;
            }

            int? item = null;
            lastHadIndex = false;
            if (i < text.Length && text[i] == '[')
            {
                lastHadIndex = true;
                var close = text.IndexOf(']', i);
                var inside = close < 0 ? "" : text[(i + 1)..close].Trim();
                if (inside == "*")
                {
                    item = null;
                }
                else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    item = index;
                }
                else
                {
                    error = $"an item index must be [n] (from 0) or [*], at position {i + 1} of '{text}'";
                    return false;
                }

                i = close + 1;
                if (!IsSequenceOrUnknown(tag))
                {
                    error = $"{Name(tag)} is not a sequence; only sequences take an item index";
                    return false;
                }
            }

            steps.Add(new TagPathStep(tag, item));
        }

        if (steps.Count == 0)
        {
            error = "the tag is empty";
            return false;
        }

        for (var s = 0; s < steps.Count - 1; s++)
        {
            if (!IsSequenceOrUnknown(steps[s].Tag))
            {
                error = $"{Name(steps[s].Tag)} is not a sequence, so no tag can follow it";
                return false;
            }
        }

        if (lastHadIndex)
        {
            error = "a path cannot end with an item index; name the attribute inside the item";
            return false;
        }

        path = new TagPath([.. steps]);
        return true;
    }

    public override string ToString() => Text;

    private static bool IsSequenceOrUnknown(DicomTag tag)
    {
        var vrs = DicomDictionary.GetVRs(tag);
        return vrs.Count == 0 || vrs.Contains(DicomVR.SQ);
    }

    private static string Name(DicomTag tag) =>
        DicomDictionary.GetKeyword(tag) is { Length: > 0 } keyword ? $"{keyword} {tag}" : tag.ToString();

    private static string Format(TagPathStep[] steps, bool keywords)
    {
        var text = new StringBuilder();
        for (var s = 0; s < steps.Length; s++)
        {
            var last = s == steps.Length - 1;
            if (keywords)
            {
                var keyword = DicomDictionary.GetKeyword(steps[s].Tag);
                text.Append(s > 0 ? "." : "").Append(keyword.Length > 0 ? keyword : steps[s].Tag.ToString());
            }
            else
            {
                text.Append(steps[s].Tag.ToString());
            }

            if (!last)
            {
                text.Append(steps[s].Item is { } item ? string.Create(CultureInfo.InvariantCulture, $"[{item}]") : "[*]");
            }
        }

        if (keywords)
        {
            text.Append(' ').Append(Format(steps, keywords: false));
        }

        return text.ToString();
    }
}
