using System.Globalization;

namespace Draw.Dicom.Core;

/// <summary>
/// Makes new UIDs under a configurable root. The default root 2.25 is followed by a random UUID as a decimal
/// integer (PS3.5 B.2), which needs no registration. UIDs never exceed 64 characters (PS3.5 9.1).
/// </summary>
public sealed class DicomUidGenerator
{
    /// <summary>DRAW's Implementation Class UID (PS3.7 D.3.3.2), derived once from a UUID under 2.25.</summary>
    public const string ImplementationClassUid = "2.25.36489608740439788523988354409901780687";

    /// <summary>DRAW's Implementation Version Name (at most 16 characters).</summary>
    public const string ImplementationVersionName = "DRAW_0_1";

    public const int MaxLength = 64;

    public DicomUidGenerator(string root = "2.25")
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!IsValid(root) || root.Length > MaxLength - 12)
        {
            throw new ArgumentException("the UID root must be a valid UID of at most 52 characters, leaving room for a unique suffix", nameof(root));
        }

        Root = root;
    }

    public string Root { get; }

    public static DicomUidGenerator Default { get; } = new();

    /// <summary>A new UID: the root, a dot, and a random UUID in decimal (shortened when the root is long).</summary>
    public string Generate()
    {
        var number = new UInt128(0, 0);
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        foreach (var b in bytes)
        {
            number = (number << 8) | b;
        }

        var suffix = number.ToString(CultureInfo.InvariantCulture);
        var room = MaxLength - Root.Length - 1;
        if (suffix.Length > room)
        {
            // Keep the low-order digits (all random); drop a leading zero so the component stays valid.
            suffix = suffix[^room..].TrimStart('0');
            if (suffix.Length == 0)
            {
                suffix = "0";
            }
        }

        return Root + "." + suffix;
    }

    /// <summary>True for dot-separated numbers without leading zeros, at most 64 characters (PS3.5 9.1).</summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > MaxLength)
        {
            return false;
        }

        foreach (var part in uid.Split('.'))
        {
            if (part.Length == 0 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            foreach (var c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
