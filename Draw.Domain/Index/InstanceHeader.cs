using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Domain.Index;

/// <summary>What the index keeps of one instance's header. Read once, from the original file.</summary>
public sealed record InstanceHeader
{
    public required string PatientId { get; init; }

    public string? PatientName { get; init; }

    public string? BirthDate { get; init; }

    public string? Sex { get; init; }

    public required string StudyInstanceUid { get; init; }

    public string? StudyDate { get; init; }

    public string? StudyTime { get; init; }

    public string? StudyId { get; init; }

    public string? AccessionNumber { get; init; }

    public string? StudyDescription { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public string? Modality { get; init; }

    public string? SeriesDescription { get; init; }

    public string? ProtocolName { get; init; }

    public string? BodyPart { get; init; }

    public string? SeriesDate { get; init; }

    public string? SeriesNumber { get; init; }

    public string? FrameOfReferenceUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public string? SopClassUid { get; init; }

    public int? InstanceNumber { get; init; }

    public IReadOnlyList<string> ImageType { get; init; } = [];

    /// <summary>Every element <see cref="From"/> reads.</summary>
    public static IReadOnlyList<DicomTag> Tags { get; } =
    [
        DicomTags.PatientID, DicomTags.PatientName, DicomTags.PatientBirthDate, DicomTags.PatientSex,
        DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.StudyID, DicomTags.AccessionNumber,
        DicomTags.StudyDescription, DicomTags.SeriesInstanceUID, DicomTags.Modality, DicomTags.SeriesDescription,
        DicomTags.ProtocolName, DicomTags.BodyPartExamined, DicomTags.SeriesDate, DicomTags.SeriesNumber,
        DicomTags.FrameOfReferenceUID, DicomTags.SOPInstanceUID, DicomTags.SOPClassUID, DicomTags.InstanceNumber, DicomTags.ImageType,
    ];

    /// <summary>
    /// How to read a file for <see cref="From"/> alone: its header, keeping only <see cref="Tags"/>. A datastore scan
    /// reads thousands of headers and needs 22 of their hundred-odd elements; the others cost neither an element nor a
    /// copy of their value. The file is still parsed up to the pixel data, so a truncated file is still caught.
    /// </summary>
    public static DicomReadOptions ReadOptions { get; } = DicomReadOptions.HeaderOnly with { OnlyTags = Tags };

    /// <summary>Reads the header fields; a file without the identifying UIDs cannot be indexed.</summary>
    public static InstanceHeader From(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new InstanceHeader
        {
            PatientId = dataset.GetString(DicomTags.PatientID) ?? "",
            PatientName = dataset.GetString(DicomTags.PatientName),
            BirthDate = dataset.GetString(DicomTags.PatientBirthDate),
            Sex = dataset.GetString(DicomTags.PatientSex),
            StudyInstanceUid = Required(dataset, DicomTags.StudyInstanceUID, "StudyInstanceUID"),
            StudyDate = dataset.GetString(DicomTags.StudyDate),
            StudyTime = dataset.GetString(DicomTags.StudyTime),
            StudyId = dataset.GetString(DicomTags.StudyID),
            AccessionNumber = dataset.GetString(DicomTags.AccessionNumber),
            StudyDescription = dataset.GetString(DicomTags.StudyDescription),
            SeriesInstanceUid = Required(dataset, DicomTags.SeriesInstanceUID, "SeriesInstanceUID"),
            Modality = dataset.GetString(DicomTags.Modality),
            SeriesDescription = dataset.GetString(DicomTags.SeriesDescription),
            ProtocolName = dataset.GetString(DicomTags.ProtocolName),
            BodyPart = dataset.GetString(DicomTags.BodyPartExamined),
            SeriesDate = dataset.GetString(DicomTags.SeriesDate),
            SeriesNumber = dataset.GetString(DicomTags.SeriesNumber),
            FrameOfReferenceUid = dataset.GetString(DicomTags.FrameOfReferenceUID),
            SopInstanceUid = Required(dataset, DicomTags.SOPInstanceUID, "SOPInstanceUID"),
            SopClassUid = dataset.GetString(DicomTags.SOPClassUID),
            InstanceNumber = int.TryParse(dataset.GetString(DicomTags.InstanceNumber), System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null,
            ImageType = dataset.GetStrings(DicomTags.ImageType),
        };
    }

    private static string Required(DicomDataset dataset, DicomTag tag, string keyword) =>
        dataset.GetString(tag) is { Length: > 0 } value ? value : throw new MissingHeaderException($"{keyword} {tag} is missing or empty.");
}

/// <summary>A readable DICOM file that lacks what indexing needs.</summary>
public sealed class MissingHeaderException(string message) : Exception(message);
