namespace Draw.Dicom.Core;

/// <summary>A transfer syntax: how a dataset is encoded (VR explicit or not, byte order, deflate, encapsulated pixel data).</summary>
public sealed partial class DicomTransferSyntax
{
    private static Dictionary<string, DicomTransferSyntax>? s_byUid;

    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated, bool retired)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsRetired = retired;
    }

    public string Uid { get; }

    public string Name { get; }

    public bool IsExplicitVR { get; }

    public bool IsBigEndian { get; }

    /// <summary>The dataset after the meta group is a raw deflate stream (RFC 1951).</summary>
    public bool IsDeflated { get; }

    /// <summary>Pixel data is held as encapsulated fragments.</summary>
    public bool IsEncapsulated { get; }

    public bool IsRetired { get; }

    /// <summary>True for a UID not in PS3.6; such syntaxes are read as explicit VR little endian with encapsulated pixel data (PS3.5 A.4).</summary>
    public bool IsUnknown { get; private init; }

    /// <summary>The registered syntax with this UID, or an "unknown" syntax read as explicit VR little endian.</summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var map = s_byUid;
        if (map is null)
        {
            map = new Dictionary<string, DicomTransferSyntax>(StringComparer.Ordinal);
            foreach (var ts in All)
            {
                map[ts.Uid] = ts;
            }

            s_byUid = map;
        }

        return map.TryGetValue(uid, out var known)
            ? known
            : new DicomTransferSyntax(uid, "Unknown transfer syntax", explicitVR: true, bigEndian: false, deflated: false, encapsulated: true, retired: false) { IsUnknown = true };
    }

    public static bool IsRegistered(string uid) => !Lookup(uid).IsUnknown;

    public override string ToString() => $"{Name} ({Uid})";
}
