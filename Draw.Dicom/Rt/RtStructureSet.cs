using System.Globalization;
using Draw.Dicom.Core;

namespace Draw.Dicom.Rt;

/// <summary>A referenced image: SOP class and instance (ContourImageSequence, RTReferencedSeriesSequence items).</summary>
public sealed record RtImageReference(string SopClassUid, string SopInstanceUid);

public sealed record RtReferencedSeries(string SeriesInstanceUid, IReadOnlyList<RtImageReference> Images);

/// <summary>An RT Referenced Study item: its ReferencedSOPInstanceUID holds the study's UID.</summary>
public sealed record RtReferencedStudy(string StudyInstanceUid, string SopClassUid, IReadOnlyList<RtReferencedSeries> Series);

public sealed record RtReferencedFrameOfReference(string FrameOfReferenceUid, IReadOnlyList<RtReferencedStudy> Studies);

/// <summary>ROI Display Color (3006,002A): RGB 0-255.</summary>
public readonly record struct RtColor(byte R, byte G, byte B)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{R}\\{G}\\{B}");
}

/// <summary>One contour of an ROI: geometric type, points (x, y, z triplets in mm) and the images it lies on.</summary>
public sealed class RtContour
{
    private double[]? _points;
    private bool _pointsChanged;

    public string GeometricType { get; set; } = "CLOSED_PLANAR";

    public List<RtImageReference> Images { get; } = [];

    /// <summary>The contour points, parsed on first use (reading a structure set does not parse every contour).</summary>
    public double[] Points
    {
        get => _points ??= Source?.GetDoubles(DicomTags.ContourData) ?? [];
        set
        {
            _points = value ?? throw new ArgumentNullException(nameof(value));
            _pointsChanged = true;
        }
    }

    /// <summary>The item this contour was read from; attributes the model does not know are written back from it.</summary>
    internal DicomDataset? Source { get; init; }

    internal bool PointsChanged => _pointsChanged || Source is null;
}

/// <summary>One ROI as the three sequences of the structure set describe it, joined by ROI number.</summary>
public sealed class RtRoi
{
    public int Number { get; set; }

    public string Name { get; set; } = "";

    public string? FrameOfReferenceUid { get; set; }

    /// <summary>ROI Generation Algorithm (3006,0036): AUTOMATIC, SEMIAUTOMATIC, MANUAL or empty.</summary>
    public string? GenerationAlgorithm { get; set; }

    public RtColor? Color { get; set; }

    /// <summary>RT ROI Interpreted Type (3006,00A4), e.g. ORGAN, GTV, PTV, EXTERNAL; empty when unknown.</summary>
    public string? InterpretedType { get; set; }

    public int? ObservationNumber { get; set; }

    public List<RtContour> Contours { get; } = [];

    internal DicomDataset? RoiItem { get; init; }

    internal DicomDataset? ContourItem { get; init; }

    internal DicomDataset? ObservationItem { get; init; }
}

/// <summary>
/// A small model of the RT Structure Set module, ROI Contour module and RT ROI Observations module
/// (PS3.3 C.8.8.5, C.8.8.6, C.8.8.8). <see cref="Read"/> takes them from a dataset; <see cref="WriteTo"/> puts
/// them back, keeping whatever else the original items held.
/// </summary>
public sealed class RtStructureSet
{
    public string? Label { get; set; }

    public string? Name { get; set; }

    public List<RtReferencedFrameOfReference> ReferencedFrames { get; } = [];

    public List<RtRoi> Rois { get; } = [];

    public RtRoi? FindRoi(string name) => Rois.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every image SOP Instance UID the structure set references (series level and contour level).</summary>
    public IEnumerable<string> ReferencedImageUids() =>
        ReferencedFrames.SelectMany(f => f.Studies).SelectMany(s => s.Series).SelectMany(s => s.Images).Select(i => i.SopInstanceUid)
            .Concat(Rois.SelectMany(r => r.Contours).SelectMany(c => c.Images).Select(i => i.SopInstanceUid));

    public static RtStructureSet Read(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var set = new RtStructureSet
        {
            Label = dataset.GetString(DicomTags.StructureSetLabel),
            Name = dataset.GetString(DicomTags.StructureSetName),
        };

        foreach (var frame in dataset.GetItems(DicomTags.ReferencedFrameOfReferenceSequence))
        {
            var studies = new List<RtReferencedStudy>();
            foreach (var study in frame.GetItems(DicomTags.RTReferencedStudySequence))
            {
                var series = new List<RtReferencedSeries>();
                foreach (var s in study.GetItems(DicomTags.RTReferencedSeriesSequence))
                {
                    series.Add(new RtReferencedSeries(s.GetString(DicomTags.SeriesInstanceUID) ?? "", ReadImages(s)));
                }

                studies.Add(new RtReferencedStudy(study.GetString(DicomTags.ReferencedSOPInstanceUID) ?? "", study.GetString(DicomTags.ReferencedSOPClassUID) ?? "", series));
            }

            set.ReferencedFrames.Add(new RtReferencedFrameOfReference(frame.GetString(DicomTags.FrameOfReferenceUID) ?? "", studies));
        }

        var contours = new Dictionary<int, DicomDataset>();
        foreach (var item in dataset.GetItems(DicomTags.ROIContourSequence))
        {
            if (item.GetInt32(DicomTags.ReferencedROINumber) is { } n)
            {
                contours.TryAdd(n, item);
            }
        }

        var observations = new Dictionary<int, DicomDataset>();
        foreach (var item in dataset.GetItems(DicomTags.RTROIObservationsSequence))
        {
            if (item.GetInt32(DicomTags.ReferencedROINumber) is { } n)
            {
                observations.TryAdd(n, item);
            }
        }

        foreach (var item in dataset.GetItems(DicomTags.StructureSetROISequence))
        {
            var number = item.GetInt32(DicomTags.ROINumber) ?? 0;
            contours.TryGetValue(number, out var contourItem);
            observations.TryGetValue(number, out var observation);
            var roi = new RtRoi
            {
                Number = number,
                Name = item.GetString(DicomTags.ROIName) ?? "",
                FrameOfReferenceUid = item.GetString(DicomTags.ReferencedFrameOfReferenceUID),
                GenerationAlgorithm = item.GetString(DicomTags.ROIGenerationAlgorithm),
                RoiItem = item,
                ContourItem = contourItem,
                ObservationItem = observation,
                InterpretedType = observation?.GetString(DicomTags.RTROIInterpretedType),
                ObservationNumber = observation?.GetInt32(DicomTags.ObservationNumber),
            };

            if (contourItem is not null)
            {
                var rgb = contourItem.GetDoubles(DicomTags.ROIDisplayColor);
                if (rgb.Length == 3 && !rgb.Any(double.IsNaN))
                {
                    roi.Color = new RtColor(ToByte(rgb[0]), ToByte(rgb[1]), ToByte(rgb[2]));
                }

                foreach (var c in contourItem.GetItems(DicomTags.ContourSequence))
                {
                    var contour = new RtContour { Source = c, GeometricType = c.GetString(DicomTags.ContourGeometricType) ?? "" };
                    contour.Images.AddRange(ReadImages(c));
                    roi.Contours.Add(contour);
                }
            }

            set.Rois.Add(roi);
        }

        return set;
    }

    /// <summary>Adds an ROI without contours (e.g. a template's additional structure), numbered after the last one.</summary>
    public RtRoi AddEmptyRoi(string name, RtColor? color, string? interpretedType)
    {
        var roi = new RtRoi
        {
            Number = Rois.Count == 0 ? 1 : Rois.Max(r => r.Number) + 1,
            Name = name,
            Color = color,
            InterpretedType = interpretedType,
            GenerationAlgorithm = "MANUAL",
            FrameOfReferenceUid = ReferencedFrames.Count > 0 ? ReferencedFrames[0].FrameOfReferenceUid : Rois.FirstOrDefault()?.FrameOfReferenceUid,
        };
        Rois.Add(roi);
        return roi;
    }

    /// <summary>Writes the label, name, referenced frames and the three ROI sequences into <paramref name="dataset"/>, replacing them.</summary>
    public void WriteTo(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (Label is not null)
        {
            dataset.SetString(DicomTags.StructureSetLabel, DicomVR.SH, Label);
        }

        if (Name is not null)
        {
            dataset.SetString(DicomTags.StructureSetName, DicomVR.LO, Name);
        }

        var frames = new List<DicomDataset>();
        foreach (var frame in ReferencedFrames)
        {
            var f = new DicomDataset();
            f.SetString(DicomTags.FrameOfReferenceUID, DicomVR.UI, frame.FrameOfReferenceUid);
            var studies = new List<DicomDataset>();
            foreach (var study in frame.Studies)
            {
                var s = new DicomDataset();
                s.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, study.SopClassUid);
                s.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, study.StudyInstanceUid);
                var series = new List<DicomDataset>();
                foreach (var se in study.Series)
                {
                    var x = new DicomDataset();
                    x.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, se.SeriesInstanceUid);
                    x.SetSequence(DicomTags.ContourImageSequence, se.Images.Select(ImageItem));
                    series.Add(x);
                }

                s.SetSequence(DicomTags.RTReferencedSeriesSequence, series);
                studies.Add(s);
            }

            f.SetSequence(DicomTags.RTReferencedStudySequence, studies);
            frames.Add(f);
        }

        dataset.SetSequence(DicomTags.ReferencedFrameOfReferenceSequence, frames);

        var roiItems = new List<DicomDataset>();
        var contourItems = new List<DicomDataset>();
        var observationItems = new List<DicomDataset>();
        var nextObservation = Rois.Select(r => r.ObservationNumber ?? 0).DefaultIfEmpty(0).Max() + 1;
        foreach (var roi in Rois)
        {
            var r = Detach(roi.RoiItem);
            r.SetIntegerString(DicomTags.ROINumber, roi.Number);
            r.SetString(DicomTags.ReferencedFrameOfReferenceUID, DicomVR.UI, roi.FrameOfReferenceUid ?? "");
            r.SetString(DicomTags.ROIName, DicomVR.LO, roi.Name);
            r.SetString(DicomTags.ROIGenerationAlgorithm, DicomVR.CS, roi.GenerationAlgorithm ?? "");
            roiItems.Add(r);

            var c = Detach(roi.ContourItem);
            if (roi.Color is { } color)
            {
                c.SetIntegerString(DicomTags.ROIDisplayColor, color.R, color.G, color.B);
            }

            var contours = new List<DicomDataset>();
            var contourNumber = 1;
            foreach (var contour in roi.Contours)
            {
                var item = Detach(contour.Source);
                if (contour.Images.Count > 0)
                {
                    item.SetSequence(DicomTags.ContourImageSequence, contour.Images.Select(ImageItem));
                }
                else
                {
                    item.Remove(DicomTags.ContourImageSequence);
                }

                item.SetString(DicomTags.ContourGeometricType, DicomVR.CS, contour.GeometricType);
                if (contour.PointsChanged)
                {
                    var points = contour.Points;
                    item.SetIntegerString(DicomTags.NumberOfContourPoints, points.Length / 3);
                    item.SetDecimalString(DicomTags.ContourData, points);
                }

                if (!item.Contains(DicomTags.ContourNumber))
                {
                    item.SetIntegerString(DicomTags.ContourNumber, contourNumber);
                }

                contourNumber++;
                contours.Add(item);
            }

            if (roi.Contours.Count > 0 || c.Contains(DicomTags.ContourSequence))
            {
                c.SetSequence(DicomTags.ContourSequence, contours);
            }

            c.SetIntegerString(DicomTags.ReferencedROINumber, roi.Number);
            contourItems.Add(c);

            var o = Detach(roi.ObservationItem);
            roi.ObservationNumber ??= nextObservation++;
            o.SetIntegerString(DicomTags.ObservationNumber, roi.ObservationNumber.Value);
            o.SetIntegerString(DicomTags.ReferencedROINumber, roi.Number);
            o.SetString(DicomTags.RTROIInterpretedType, DicomVR.CS, roi.InterpretedType ?? "");
            if (!o.Contains(DicomTags.ROIInterpreter))
            {
                o.SetString(DicomTags.ROIInterpreter, DicomVR.PN, "");
            }

            observationItems.Add(o);
        }

        dataset.SetSequence(DicomTags.StructureSetROISequence, roiItems);
        dataset.SetSequence(DicomTags.ROIContourSequence, contourItems);
        dataset.SetSequence(DicomTags.RTROIObservationsSequence, observationItems);
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static List<RtImageReference> ReadImages(DicomDataset item)
    {
        var list = new List<RtImageReference>();
        foreach (var image in item.GetItems(DicomTags.ContourImageSequence))
        {
            list.Add(new RtImageReference(image.GetString(DicomTags.ReferencedSOPClassUID) ?? "", image.GetString(DicomTags.ReferencedSOPInstanceUID) ?? ""));
        }

        return list;
    }

    private static DicomDataset ImageItem(RtImageReference image)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, image.SopClassUid);
        item.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, image.SopInstanceUid);
        return item;
    }

    /// <summary>The source item's elements in a fresh item (so it can join the new sequence), or an empty item.</summary>
    private static DicomDataset Detach(DicomDataset? source)
    {
        var item = new DicomDataset();
        if (source is not null)
        {
            foreach (var e in source.Elements)
            {
                item.Add(e);
            }

            item.UndefinedLength = source.UndefinedLength;
        }

        return item;
    }
}
