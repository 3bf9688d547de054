using System.Text;

namespace Draw.Worker.Ingest;

/// <summary>Turns any text (a PatientID, a UID, a relative path) into one safe file or folder name.</summary>
internal static class SafeName
{
    private const int MaxLength = 120;

    public static string For(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text is "." or "..")
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

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        var name = builder.ToString().Trim('.');
        return name.Length == 0 ? "_" : name;
    }
}
