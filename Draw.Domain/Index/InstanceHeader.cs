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
    public static InstanceHeader From(DicomDataset dataset) => From(dataset, null);

    /// <summary>As <see cref="From(DicomDataset)"/>; <paramref name="cache"/> shares the text a series repeats with the
    /// headers read before it (the instance's own UID and number are always read afresh).</summary>
    public static InstanceHeader From(DicomDataset dataset, HeaderTextCache? cache)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        cache?.Begin(dataset);
        string? Text(DicomTag tag) => cache is null ? dataset.GetString(tag) : cache.GetString(dataset, tag);
        return new InstanceHeader
        {
            PatientId = Text(DicomTags.PatientID) ?? "",
            PatientName = Text(DicomTags.PatientName),
            BirthDate = Text(DicomTags.PatientBirthDate),
            Sex = Text(DicomTags.PatientSex),
            StudyInstanceUid = Required(Text(DicomTags.StudyInstanceUID), DicomTags.StudyInstanceUID, "StudyInstanceUID"),
            StudyDate = Text(DicomTags.StudyDate),
            StudyTime = Text(DicomTags.StudyTime),
            StudyId = Text(DicomTags.StudyID),
            AccessionNumber = Text(DicomTags.AccessionNumber),
            StudyDescription = Text(DicomTags.StudyDescription),
            SeriesInstanceUid = Required(Text(DicomTags.SeriesInstanceUID), DicomTags.SeriesInstanceUID, "SeriesInstanceUID"),
            Modality = Text(DicomTags.Modality),
            SeriesDescription = Text(DicomTags.SeriesDescription),
            ProtocolName = Text(DicomTags.ProtocolName),
            BodyPart = Text(DicomTags.BodyPartExamined),
            SeriesDate = Text(DicomTags.SeriesDate),
            SeriesNumber = Text(DicomTags.SeriesNumber),
            FrameOfReferenceUid = Text(DicomTags.FrameOfReferenceUID),
            SopInstanceUid = Required(dataset.GetString(DicomTags.SOPInstanceUID), DicomTags.SOPInstanceUID, "SOPInstanceUID"),
            SopClassUid = Text(DicomTags.SOPClassUID),
            InstanceNumber = int.TryParse(dataset.GetString(DicomTags.InstanceNumber), System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null,
            ImageType = cache is null ? dataset.GetStrings(DicomTags.ImageType) : cache.GetStrings(dataset, DicomTags.ImageType),
        };
    }

    private static string Required(string? value, DicomTag tag, string keyword) =>
        value is { Length: > 0 } ? value : throw new MissingHeaderException($"{keyword} {tag} is missing or empty.");
}

/// <summary>A readable DICOM file that lacks what indexing needs.</summary>
public sealed class MissingHeaderException(string message) : Exception(message);
