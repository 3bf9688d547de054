using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Core.Values;

namespace Draw.Domain.Export;

/// <summary>What an exported file says about itself (read from its header): the naming placeholders and the ledger's fields.</summary>
public sealed record ExportFacts
{
    public const string RtStructSopClass = "1.2.840.10008.5.1.4.1.1.481.3";

    public string? PatientId { get; init; }

    public string? PatientName { get; init; }

    public string? StudyDate { get; init; }

    public string? StudyTime { get; init; }

    public string? Modality { get; init; }

    public required string SopInstanceUid { get; init; }

    public string? SopClassUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? AccessionNumber { get; init; }

    public string? StudyDescription { get; init; }

    public string? SeriesDescription { get; init; }

    public bool IsRtStruct => string.Equals(Modality, "RTSTRUCT", StringComparison.OrdinalIgnoreCase) || SopClassUid == RtStructSopClass;

    /// <summary>StudyDate with StudyTime (fractional seconds accepted); null when the date is missing or invalid.</summary>
    public DateTime? StudyDateTime =>
        StudyDate is not null && DicomDateTimeParser.TryParseDate(StudyDate, out var date)
            ? date.ToDateTime(StudyTime is not null && DicomDateTimeParser.TryParseTime(StudyTime, out var time) ? time : TimeOnly.MinValue, DateTimeKind.Utc)
            : null;

    /// <summary>Reads the header only (no pixel data).</summary>
    /// <exception cref="InvalidExportFileException">Not readable as DICOM, or without a SOPInstanceUID.</exception>
    public static ExportFacts Read(string path)
    {
        DicomDataset dataset;
        try
        {
            dataset = DicomFile.OpenHeader(path).Dataset;
        }
        catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException or InvalidDataException or EndOfStreamException)
        {
            throw new InvalidExportFileException($"not readable as DICOM: {ex.Message}", ex);
        }

        return From(dataset);
    }

    public static ExportFacts From(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string? Text(DicomTag tag)
        {
            var value = dataset.GetString(tag)?.Trim('\0', ' ');
            return string.IsNullOrEmpty(value) ? null : value;
        }

        var sop = Text(DicomTags.SOPInstanceUID) ?? throw new InvalidExportFileException("the file has no SOPInstanceUID (0008,0018)");
        if (sop.Length > 64)
        {
            throw new InvalidExportFileException($"the SOPInstanceUID (0008,0018) is {sop.Length} characters long; a UID has at most 64");
        }

        return new ExportFacts
        {
            PatientId = Text(DicomTags.PatientID),
            PatientName = Text(DicomTags.PatientName),
            StudyDate = Text(DicomTags.StudyDate),
            StudyTime = Text(DicomTags.StudyTime),
            Modality = Text(DicomTags.Modality),
            SopInstanceUid = sop,
            SopClassUid = Text(DicomTags.SOPClassUID),
            SeriesInstanceUid = Text(DicomTags.SeriesInstanceUID),
            StudyInstanceUid = Text(DicomTags.StudyInstanceUID),
            AccessionNumber = Text(DicomTags.AccessionNumber),
            StudyDescription = Text(DicomTags.StudyDescription),
            SeriesDescription = Text(DicomTags.SeriesDescription),
        };
    }
}

/// <summary>A file that cannot be exported as it is (unreadable, no SOPInstanceUID); the message says why.</summary>
public sealed class InvalidExportFileException(string message, Exception? inner = null) : Exception(message, inner);
