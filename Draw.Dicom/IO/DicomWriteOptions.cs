using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>How a Part 10 file is written.</summary>
public sealed record DicomWriteOptions
{
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>The transfer syntax to write. Null: explicit VR little endian, except that a dataset with
    /// encapsulated pixel data keeps its original syntax (DRAW does not transcode pixel data).</summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }

    /// <summary>Write the original transfer syntax of the file.</summary>
    public bool KeepTransferSyntax { get; init; }

    /// <summary>Write the file's own preamble and meta group unchanged (byte-identical round trips) when the
    /// transfer syntax does not change. Otherwise a fresh meta group names DRAW as the implementation.</summary>
    public bool KeepFileMetaInformation { get; init; }

    /// <summary>Source Application Entity Title (0002,0016) for a fresh meta group.</summary>
    public string? SourceApplicationEntityTitle { get; init; }

    /// <summary>Flush the file to disk before it is renamed into place (fsync), so a file that appears survives a
    /// power cut. Callers that write many files and flush them together afterwards (see
    /// <see cref="DicomFileWriter.FlushToDiskAsync"/>) turn it off.</summary>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>With <see cref="FlushToDisk"/> off: start writing the file to disk as soon as it is written, without
    /// waiting for it (Linux; a no-op elsewhere). For callers that flush many files together afterwards: the
    /// flush then mostly waits for I/O already under way instead of starting all of it at the end.</summary>
    public bool StartWriteback { get; init; }

    /// <summary>Compression level for deflated transfer syntaxes.</summary>
    public System.IO.Compression.CompressionLevel DeflateLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;
}
