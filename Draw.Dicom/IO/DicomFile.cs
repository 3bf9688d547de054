using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>A Part 10 file as read: the meta group, the dataset, and how the file was encoded.</summary>
public sealed class DicomFile
{
    public DicomFile(DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomDataset? fileMetaInformation = null)
    {
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        FileMetaInformation = fileMetaInformation ?? new DicomDataset();
    }

    /// <summary>Group 0002 elements (empty when the file had none).</summary>
    public DicomDataset FileMetaInformation { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the dataset (from the meta group, or detected when there was none).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>The 128-byte preamble, or null when the file had none.</summary>
    public ReadOnlyMemory<byte>? Preamble { get; init; }

    /// <summary>The file had a meta group (group 0002).</summary>
    public bool HasFileMetaInformation => FileMetaInformation.Count > 0;

    /// <summary>The transfer syntax was guessed from the data because the meta group did not give one.</summary>
    public bool TransferSyntaxDetected { get; init; }

    public string? FilePath { get; init; }

    /// <summary>Deviations from the standard that the reader tolerated (offsets and tags only, no values).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Offset in the file where the dataset starts (after the meta group).</summary>
    public long DatasetOffset { get; init; }

    public static DicomFile Open(string path, DicomReadOptions? options = null) => DicomFileReader.Read(path, options);

    /// <summary>Header-only read: everything up to the pixel data.</summary>
    public static DicomFile OpenHeader(string path) => DicomFileReader.Read(path, DicomReadOptions.HeaderOnly);

    /// <summary>
    /// Header-only read of a file that may not be DICOM at all (a datastore scan): null when its first bytes
    /// fail <see cref="DicomFileProbe"/>'s test, checked on the same open and read as the header itself.
    /// A file that passes and is then malformed still throws <see cref="DicomFormatException"/>.
    /// </summary>
    public static DicomFile? TryOpenHeader(string path) => DicomFileReader.ReadIfDicom(path, DicomReadOptions.HeaderOnly);

    public void Save(string path, DicomWriteOptions? options = null) => DicomFileWriter.Write(path, this, options);
}
