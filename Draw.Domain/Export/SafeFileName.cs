using System.Text;

namespace Draw.Domain.Export;

/// <summary>
/// Makes one path component safe on Linux and Windows shares: separators and the characters
/// Windows refuses (/ \ : * ? " &lt; &gt; |), control characters, leading dots and ".." become '_';
/// trailing dots and spaces go; reserved device names (CON, NUL, COM1...) get a '_' in front.
/// </summary>
public static class SafeFileName
{
    public const int MaxLength = 120;

    private static readonly HashSet<string> Reserved = new(
        ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(0, 10).SelectMany(i => new[] { $"COM{i}", $"LPT{i}" })],
        StringComparer.OrdinalIgnoreCase);

    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "_";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            var unsafeChar = char.IsControl(c) || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|';
            // A dot may not start a name (hidden files, "..") nor follow another dot.
            var unsafeDot = c == '.' && (builder.Length == 0 || builder[^1] == '.');
            builder.Append(unsafeChar || unsafeDot ? '_' : c);
        }

        var name = builder.ToString().TrimEnd('.', ' ');
        if (name.Length == 0)
        {
            return "_";
        }

        var stem = name.Split('.')[0];
        return Reserved.Contains(stem.TrimEnd(' ')) ? "_" + name : name;
    }
}
