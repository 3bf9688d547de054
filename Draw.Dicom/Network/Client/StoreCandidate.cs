using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Dicom.Network.Client;

/// <summary>
/// What a C-STORE needs to know about a file before sending it, taken from its header: SOP class and instance,
/// transfer syntax, and where the data set starts. Small on purpose: a send of thousands of files keeps one per
/// file between proposing the contexts and sending, never the parsed headers.
/// </summary>
internal sealed record StoreCandidate(string Path, string? SopClass, string? SopInstance, DicomTransferSyntax TransferSyntax, long DatasetOffset)
{
    /// <exception cref="DicomFormatException">The file is not DICOM.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StoreCandidate Read(string path)
    {
        var header = DicomFile.OpenHeader(path);
        var meta = header.FileMetaInformation;
        var sopClass = header.Dataset.GetString(DicomTags.SOPClassUID) ?? meta.GetString(new DicomTag(0x00020002));
        var sopInstance = header.Dataset.GetString(DicomTags.SOPInstanceUID) ?? meta.GetString(new DicomTag(0x00020003));
        return new StoreCandidate(path, sopClass?.Trim('\0', ' '), sopInstance?.Trim('\0', ' '), header.TransferSyntax, header.DatasetOffset);
    }
}
