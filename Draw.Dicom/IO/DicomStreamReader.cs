using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>
/// Reads a dataset body (no preamble, no meta group) in a known transfer syntax from any stream, e.g. the
/// data of a network message. Values are kept in memory; lengths are checked against the stream when it
/// can tell its length, and otherwise buffers grow only as bytes actually arrive.
/// </summary>
public static class DicomStreamReader
{
    public static DicomDataset Read(Stream stream, DicomTransferSyntax syntax, DicomReadOptions? options = null, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(syntax);
        options ??= DicomReadOptions.Default;
        var dataset = new DicomDataset(64);
        if (syntax.IsDeflated)
        {
            using var inflated = new System.IO.Compression.DeflateStream(stream, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
            using var inflatedInput = new DicomInput(inflated, sourceName + " (inflated data)", null);
            new DicomDatasetReader(inflatedInput, options, explicitVR: true, bigEndian: false).ReadTopLevel(dataset);
            return dataset;
        }

        using var input = new DicomInput(stream, sourceName, null);
        new DicomDatasetReader(input, options, syntax.IsExplicitVR, syntax.IsBigEndian).ReadTopLevel(dataset);
        return dataset;
    }
}
