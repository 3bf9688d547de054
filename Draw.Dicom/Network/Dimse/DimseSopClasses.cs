namespace Draw.Dicom.Network.Dimse;

/// <summary>The non-storage SOP classes the network layer uses (PS3.4 A.4, C.6). Storage classes are in DicomUids.</summary>
public static class DimseSopClasses
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    public const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";

    /// <summary>The root under which PS3.4 Annex B storage SOP classes are registered.</summary>
    public const string StorageRoot = "1.2.840.10008.5.1.4.1.1.";

    /// <summary>A registered storage SOP class (PS3.4 B.5), including those registered after our dictionary was generated.</summary>
    public static bool IsStorage(string sopClassUid)
    {
        ArgumentNullException.ThrowIfNull(sopClassUid);
        return sopClassUid.StartsWith(StorageRoot, StringComparison.Ordinal)
            || Core.DicomUids.Find(sopClassUid) is { Kind: Core.DicomUidKind.SopClass };
    }
}
