using Draw.Dicom.Network.Dimse;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// The simplest sink: every instance lands in one folder as SOPInstanceUID.dcm (a later copy of the same
/// instance replaces the earlier one). Used by `draw listen`, tests and benchmarks.
/// </summary>
public sealed class FolderStoreHandler : IDicomStoreHandler
{
    public FolderStoreHandler(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string GetTemporaryFolder(DicomIncomingInstance instance) => Folder;

    public ValueTask<DicomStoreDecision> OnInstanceReceivedAsync(DicomIncomingInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!LooksLikeUid(instance.SopInstanceUid))
        {
            // The UID becomes a file name: refuse anything that is not a well-formed UID.
            return ValueTask.FromResult(DicomStoreDecision.Refuse(DicomStatus.CannotUnderstand.WithComment("invalid SOP instance UID")));
        }

        return ValueTask.FromResult(DicomStoreDecision.Keep(Path.Combine(Folder, instance.SopInstanceUid + ".dcm")));
    }

    /// <summary>Digits and dots only, so the UID is a safe file name (real UIDs with leading zeros are tolerated).</summary>
    private static bool LooksLikeUid(string uid) =>
        uid.Length is > 0 and <= 64 && uid[0] != '.' && uid.AsSpan().IndexOfAnyExcept(UidCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> UidCharacters = System.Buffers.SearchValues.Create("0123456789.");
}
