namespace Draw.Dicom.Core;

public enum DicomUidKind
{
    Unknown,
    TransferSyntax,
    SopClass,
}

/// <summary>A registered UID with its keyword and name from PS3.6 Annex A.</summary>
public sealed record DicomUidInfo(string Uid, string Keyword, string Name, DicomUidKind Kind);

/// <summary>Looks up registered UIDs (transfer syntaxes and SOP classes).</summary>
public static partial class DicomUids
{
    private static Dictionary<string, DicomUidInfo>? s_registry;

    public static DicomUidInfo? Find(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var map = s_registry;
        if (map is null)
        {
            map = new Dictionary<string, DicomUidInfo>(StringComparer.Ordinal);
            foreach (var info in CreateRegistry())
            {
                map.TryAdd(info.Uid, info);
            }

            s_registry = map;
        }

        return map.GetValueOrDefault(uid);
    }

    /// <summary>The registered name of a UID, or null.</summary>
    public static string? GetName(string uid) => Find(uid)?.Name;
}
