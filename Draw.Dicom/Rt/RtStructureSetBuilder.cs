using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Dicom.Rt;

/// <summary>
/// Builds a new RT Structure Set (PS3.3 A.19) for an image series: new study-level references copied from the images,
/// a new series and SOP instance, a ReferencedFrameOfReferenceSequence listing every slice, and one ROI per
/// <see cref="AddRoi"/> call with its contours (each contour should reference its slice through its Images list;
/// <see cref="ContourTracer.TraceVolume"/> does that). Holes are separate contours read with the even-odd rule.
/// </summary>
public sealed class RtStructureSetBuilder
{
    public const string RtStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";

    /// <summary>The Referenced SOP Class UID conventionally given to an RT Referenced Study item (Detached Study Management, retired).</summary>
    public const string StudyReferenceSopClass = "1.2.840.10008.3.1.2.3.1";

    // Patient, general study and patient study attributes copied from the images when present.
    private static readonly DicomTag[] s_copied =
    [
        DicomTags.SpecificCharacterSet,
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.IssuerOfPatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
        DicomTags.DeidentificationMethod, DicomTags.DeidentificationMethodCodeSequence,
        DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID,
        DicomTags.AccessionNumber, DicomTags.StudyDescription, DicomTags.PatientAge, DicomTags.PatientSize, DicomTags.PatientWeight,
        DicomTags.FrameOfReferenceUID, DicomTags.PositionReferenceIndicator,
    ];

    // Type 2 attributes of the Patient, General Study, RT Series and General Equipment modules: present, possibly empty.
    private static readonly DicomTag[] s_type2 =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber,
        DicomTags.OperatorsName, DicomTags.PositionReferenceIndicator,
    ];

    private readonly DicomDataset _image;
    private readonly VolumeGeometry _geometry;
    private readonly List<RtRoi> _rois = [];

    /// <param name="referenceImage">The header of one image of the series (patient, study, series and frame of reference are taken from it).</param>
    /// <param name="geometry">The series' geometry with every slice's SOP class and instance.</param>
    public RtStructureSetBuilder(DicomDataset referenceImage, VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(referenceImage);
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Images.Count != geometry.Slices)
        {
            throw new ArgumentException("the geometry must know every slice's SOP instance", nameof(geometry));
        }

        _image = referenceImage;
        _geometry = geometry;
        StudyInstanceUid = referenceImage.GetString(DicomTags.StudyInstanceUID)
            ?? throw new ArgumentException("the reference image has no StudyInstanceUID", nameof(referenceImage));
        SeriesInstanceUid = referenceImage.GetString(DicomTags.SeriesInstanceUID)
            ?? throw new ArgumentException("the reference image has no SeriesInstanceUID", nameof(referenceImage));
        FrameOfReferenceUid = geometry.FrameOfReferenceUid ?? referenceImage.GetString(DicomTags.FrameOfReferenceUID)
            ?? throw new ArgumentException("the images have no FrameOfReferenceUID", nameof(referenceImage));
    }

    public string StudyInstanceUid { get; }

    /// <summary>The referenced (image) series.</summary>
    public string SeriesInstanceUid { get; }

    public string FrameOfReferenceUid { get; }

    /// <summary>Structure Set Label (SH, 16 characters at most).</summary>
    public string Label { get; set; } = "DRAW";

    public string? Name { get; set; } = "DRAW local engine";

    public string? SeriesDescription { get; set; } = "DRAW autosegmentation";

    public string Manufacturer { get; set; } = "DRAW";

    public string? ManufacturerModelName { get; set; } = "DRAW local engine";

    public int SeriesNumber { get; set; } = 901;

    public DicomUidGenerator UidGenerator { get; set; } = DicomUidGenerator.Default;

    /// <summary>Creation date and time written into the structure set (defaults to now, local time).</summary>
    public DateTime? Timestamp { get; set; }

    public IReadOnlyList<RtRoi> Rois => _rois;

    /// <summary>Adds an ROI numbered after the previous ones.</summary>
    public RtRoi AddRoi(string name, RtColor color, string interpretedType, IEnumerable<RtContour> contours, string generationAlgorithm = "AUTOMATIC")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(contours);
        var roi = new RtRoi
        {
            Number = _rois.Count + 1,
            Name = name,
            Color = color,
            InterpretedType = interpretedType,
            GenerationAlgorithm = generationAlgorithm,
            FrameOfReferenceUid = FrameOfReferenceUid,
        };
        roi.Contours.AddRange(contours);
        _rois.Add(roi);
        return roi;
    }

    /// <summary>The structure set as a Part 10 file (explicit VR little endian), ready to save.</summary>
    public DicomFile Build()
    {
        var ds = new DicomDataset();
        foreach (var tag in s_copied)
        {
            if (_image.Find(tag) is { } e)
            {
                ds.Add(Copy(e));
            }
        }

        // Patient Identity Removed YES needs a de-identification method (Type 1C); copy it only with one.
        if (ds.Contains(DicomTags.DeidentificationMethod) || ds.Contains(DicomTags.DeidentificationMethodCodeSequence))
        {
            if (_image.Find(DicomTags.PatientIdentityRemoved) is { } removed)
            {
                ds.Add(Copy(removed));
            }
        }

        // The Frame of Reference module: the structures share the images' frame.
        ds.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, FrameOfReferenceUid);

        foreach (var tag in s_type2)
        {
            if (!ds.Contains(tag))
            {
                ds.SetString(tag, "");
            }
        }

        var now = Timestamp ?? DateTime.Now;
        var sopInstance = UidGenerator.Generate();
        ds.SetString(DicomTags.SOPClassUID, DicomVR.UI, RtStructureSetStorage);
        ds.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstance);
        ds.SetDate(DicomTags.InstanceCreationDate, DateOnly.FromDateTime(now));
        ds.SetTime(DicomTags.InstanceCreationTime, TimeOnly.FromDateTime(now));
        ds.SetString(DicomTags.Modality, DicomVR.CS, "RTSTRUCT");
        ds.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, UidGenerator.Generate());
        ds.SetIntegerString(DicomTags.SeriesNumber, SeriesNumber);
        if (!string.IsNullOrEmpty(SeriesDescription))
        {
            ds.SetString(DicomTags.SeriesDescription, DicomVR.LO, SeriesDescription);
        }

        ds.SetString(DicomTags.Manufacturer, DicomVR.LO, Manufacturer);
        if (!string.IsNullOrEmpty(ManufacturerModelName))
        {
            ds.SetString(DicomTags.ManufacturerModelName, DicomVR.LO, ManufacturerModelName);
        }

        ds.SetString(DicomTags.SoftwareVersions, DicomVR.LO, DicomUidGenerator.ImplementationVersionName);
        ds.SetIntegerString(DicomTags.InstanceNumber, 1);
        ds.SetDate(DicomTags.StructureSetDate, DateOnly.FromDateTime(now));
        ds.SetTime(DicomTags.StructureSetTime, TimeOnly.FromDateTime(now));
        ds.SetString(DicomTags.ApprovalStatus, DicomVR.CS, "UNAPPROVED");

        var set = new RtStructureSet { Label = Label, Name = Name };
        var series = new RtReferencedSeries(SeriesInstanceUid, _geometry.Images);
        var study = new RtReferencedStudy(StudyInstanceUid, StudyReferenceSopClass, [series]);
        set.ReferencedFrames.Add(new RtReferencedFrameOfReference(FrameOfReferenceUid, [study]));
        set.Rois.AddRange(_rois);
        set.WriteTo(ds);
        return new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>A deep copy of an element (sequence items are copied, not moved, so the images stay intact).</summary>
    private static DicomElement Copy(DicomElement e)
    {
        if (e is DicomSequence sq)
        {
            var items = new List<DicomDataset>(sq.Items.Count);
            foreach (var item in sq.Items)
            {
                var copy = new DicomDataset();
                foreach (var inner in item)
                {
                    copy.Add(Copy(inner));
                }

                items.Add(copy);
            }

            return new DicomSequence(e.Tag, items);
        }

        return new DicomElement(e.Tag, e.VR, e.GetBytes());
    }
}
