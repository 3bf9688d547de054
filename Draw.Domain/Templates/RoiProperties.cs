using System.Globalization;

namespace Draw.Domain.Templates;

/// <summary>The ROI properties a template sets: label, display colour and RT ROI Interpreted Type.</summary>
public static class RoiProperties
{
    /// <summary>ROI labels are short strings in practice (TG-263 keeps to 16 characters).</summary>
    public const int MaxLabelLength = 16;

    /// <summary>The colour of a structure that sets none (yellow, as empty ROIs of the DRAW client are).</summary>
    public const string DefaultColor = "255\\255\\0";

    public const string DefaultInterpretedType = "ORGAN";

    /// <summary>The defined terms of RT ROI Interpreted Type (3006,00A4), PS3.3 C.8.8.8.</summary>
    public static IReadOnlyList<string> InterpretedTypes { get; } =
    [
        "EXTERNAL", "PTV", "CTV", "GTV", "TREATED_VOLUME", "IRRAD_VOLUME", "OAR", "BOLUS", "AVOIDANCE", "ORGAN", "MARKER",
        "REGISTRATION", "ISOCENTER", "CONTRAST_AGENT", "CAVITY", "BRACHY_CHANNEL", "BRACHY_ACCESSORY", "BRACHY_SRC_APP",
        "BRACHY_CHNL_SHLD", "SUPPORT", "FIXATION", "DOSE_REGION", "CONTROL", "DOSE_MEASUREMENT",
    ];

    public static bool IsInterpretedType(string? value) => value is not null && InterpretedTypes.Contains(value, StringComparer.Ordinal);

    /// <summary>Why a label is not acceptable, or null.</summary>
    public static string? CheckLabel(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return "is empty";
        }

        if (label.Length > MaxLabelLength)
        {
            return $"is longer than {MaxLabelLength} characters";
        }

        if (label.Contains('\\', StringComparison.Ordinal))
        {
            return "contains '\\'";
        }

        return label.Any(char.IsControl) ? "contains a control character" : null;
    }

    /// <summary>
    /// Reads a colour as "R\G\B" (DICOM), "R,G,B", "#rrggbb" or CSS "rgb(R, G, B)" (what the
    /// dashboard's colour picker gives; an alpha is ignored) and returns it as "R\G\B"; false when
    /// it is none of these or a component is outside 0-255.
    /// </summary>
    public static bool TryNormalizeColor(string? text, out string color)
    {
        color = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (CssFunction(text) is { } inner)
        {
            var components = inner.Split(',');
            if (components.Length is not (3 or 4))
            {
                return false;
            }

            text = string.Join(',', components.Take(3));
        }

        int r, g, b;
        if (text.StartsWith('#'))
        {
            if (text.Length != 7 || !int.TryParse(text.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            {
                return false;
            }

            (r, g, b) = ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
        }
        else
        {
            var parts = text.Split(text.Contains('\\', StringComparison.Ordinal) ? '\\' : ',');
            if (parts.Length != 3
                || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out r)
                || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out g)
                || !int.TryParse(parts[2].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out b)
                || r > 255 || g > 255 || b > 255)
            {
                return false;
            }
        }

        color = string.Create(CultureInfo.InvariantCulture, $"{r}\\{g}\\{b}");
        return true;
    }

    /// <summary>A stored "R\G\B" colour as "#rrggbb" for the browser; grey when it cannot be read.</summary>
    public static string ToHex(string? color)
    {
        if (!TryNormalizeColor(color, out var normalized))
        {
            return "#808080";
        }

        var parts = normalized.Split('\\').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"#{parts[0]:x2}{parts[1]:x2}{parts[2]:x2}");
    }

    private static string? CssFunction(string text)
    {
        foreach (var prefix in (string[])["rgb(", "rgba("])
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && text.EndsWith(')'))
            {
                return text[prefix.Length..^1];
            }
        }

        return null;
    }
}
