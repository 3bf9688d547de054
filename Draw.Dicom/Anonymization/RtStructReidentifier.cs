using System.Globalization;
using System.Text;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;

namespace Draw.Dicom.Anonymization;

/// <summary>The original patient and study attributes restored into a re-identified result (taken from the index, or from an original file).</summary>
public sealed record OriginalStudyAttributes
{
    public string PatientName { get; init; } = "";

    public string PatientId { get; init; } = "";

    public string? IssuerOfPatientId { get; init; }

    public string? PatientBirthDate { get; init; }

    public string? PatientSex { get; init; }

    public string? StudyDate { get; init; }

    public string? StudyTime { get; init; }

    public string? StudyId { get; init; }

    public string? AccessionNumber { get; init; }

    public string? ReferringPhysicianName { get; init; }

    public string? StudyDescription { get; init; }

    /// <summary>The patient's date shift used at de-identification; other dates in the result are shifted back by it.</summary>
    public int DateShiftDays { get; init; }

    public static OriginalStudyAttributes From(DicomDataset original, int dateShiftDays = 0)
    {
        ArgumentNullException.ThrowIfNull(original);
        return new OriginalStudyAttributes
        {
            PatientName = original.GetString(DicomTags.PatientName) ?? "",
            PatientId = original.GetString(DicomTags.PatientID) ?? "",
            IssuerOfPatientId = original.GetString(DicomTags.IssuerOfPatientID),
            PatientBirthDate = original.GetString(DicomTags.PatientBirthDate),
            PatientSex = original.GetString(DicomTags.PatientSex),
            StudyDate = original.GetString(DicomTags.StudyDate),
            StudyTime = original.GetString(DicomTags.StudyTime),
            StudyId = original.GetString(DicomTags.StudyID),
            AccessionNumber = original.GetString(DicomTags.AccessionNumber),
            ReferringPhysicianName = original.GetString(DicomTags.ReferringPhysicianName),
            StudyDescription = original.GetString(DicomTags.StudyDescription),
            DateShiftDays = dateShiftDays,
        };
    }
}

/// <summary>How one structure name is presented: label (ROI Name, at most 16 characters in templates), colour and RT ROI Interpreted Type.</summary>
public sealed record RoiStyle(string StructureName, string Label, RtColor? Color = null, string? InterpretedType = null);

/// <summary>A template's ROI styling: styles by structure name, and empty ROIs to add.</summary>
public sealed record RoiStyling(IReadOnlyList<RoiStyle> Structures, IReadOnlyList<RoiStyle> AdditionalEmptyRois)
{
    public static RoiStyling None { get; } = new([], []);
}

public sealed record ReidentificationOptions
{
    public string SeriesDescription { get; init; } = "DRAW autosegmentation";

    /// <summary>Structure Set Label (SH, at most 16 characters).</summary>
    public string StructureSetLabel { get; init; } = "DRAW";

    /// <summary>Restore Study Description from the original attributes.</summary>
    public bool RestoreDescriptions { get; init; } = true;

    public DicomUidGenerator UidGenerator { get; init; } = DicomUidGenerator.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <param name="Returned">The RTSTRUCT as the server returned it.</param>
/// <param name="SubmittedSeriesUids">The pseudonymous SeriesInstanceUID(s) that were sent.</param>
public sealed record ReidentificationRequest(DicomFile Returned, IReadOnlyCollection<string> SubmittedSeriesUids, OriginalStudyAttributes Original, RoiStyling? Styling = null);

/// <summary>The re-identified file, or the reason it was rejected (no patient data in the reason).</summary>
public sealed record ReidentificationResult(DicomFile? File, string? Rejection)
{
    public bool Accepted => File is not null;

    public static ReidentificationResult Reject(string reason) => new(null, reason);
}

/// <summary>
/// Validates and re-identifies an RTSTRUCT returned for a de-identified series: every UID found in the inverse
/// map is replaced (anywhere in the dataset, the study UID in RTReferencedStudySequence included), the patient
/// and study attributes are restored, and the result gets its own new Series and SOP Instance UIDs.
/// </summary>
public sealed class RtStructReidentifier(IUidReverseMapper map, ReidentificationOptions? options = null)
{
    private readonly ReidentificationOptions _options = options ?? new ReidentificationOptions();

    public async Task<ReidentificationResult> ReidentifyAsync(ReidentificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ds = request.Returned.Dataset;
        var sopClass = ds.GetString(DicomTags.SOPClassUID);
        if (sopClass != DicomUids.RTStructureSetStorage)
        {
            return ReidentificationResult.Reject($"not an RT Structure Set: SOP Class UID is {(sopClass is null ? "absent" : DicomUids.GetName(sopClass) ?? "an unknown class")}");
        }

        if (ds.GetString(DicomTags.Modality) is { } modality && modality != "RTSTRUCT")
        {
            return ReidentificationResult.Reject("not an RT Structure Set: Modality is not RTSTRUCT");
        }

        var model = RtStructureSet.Read(ds);
        var referencedSeries = model.ReferencedFrames.SelectMany(f => f.Studies).SelectMany(s => s.Series).Select(s => s.SeriesInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        if (referencedSeries.Count == 0)
        {
            return ReidentificationResult.Reject("the structure set references no image series (RTReferencedSeriesSequence is empty or absent)");
        }

        var submitted = new HashSet<string>(request.SubmittedSeriesUids, StringComparer.Ordinal);
        var foreign = referencedSeries.Count(s => !submitted.Contains(s));
        if (foreign > 0)
        {
            return ReidentificationResult.Reject($"the structure set references {foreign} series that were not submitted (RTReferencedSeriesSequence)");
        }

        // Every reference (study, series, instances, frames of reference) must be in the map.
        var references = new List<(string Where, string Uid)>();
        references.Add(("StudyInstanceUID", ds.GetString(DicomTags.StudyInstanceUID) ?? ""));
        foreach (var f in model.ReferencedFrames)
        {
            references.Add(("ReferencedFrameOfReferenceSequence>FrameOfReferenceUID", f.FrameOfReferenceUid));
            foreach (var st in f.Studies)
            {
                references.Add(("RTReferencedStudySequence>ReferencedSOPInstanceUID", st.StudyInstanceUid));
                foreach (var se in st.Series)
                {
                    references.Add(("RTReferencedSeriesSequence>SeriesInstanceUID", se.SeriesInstanceUid));
                    references.AddRange(se.Images.Select(i => ("RTReferencedSeriesSequence>ContourImageSequence>ReferencedSOPInstanceUID", i.SopInstanceUid)));
                }
            }
        }

        foreach (var roi in model.Rois)
        {
            references.Add(("StructureSetROISequence>ReferencedFrameOfReferenceUID", roi.FrameOfReferenceUid ?? ""));
            foreach (var c in roi.Contours)
            {
                references.AddRange(c.Images.Select(i => ("ROIContourSequence>ContourSequence>ContourImageSequence>ReferencedSOPInstanceUID", i.SopInstanceUid)));
            }
        }

        foreach (var item in ds.GetItems(DicomTags.ReferencedStudySequence))
        {
            references.Add(("ReferencedStudySequence>ReferencedSOPInstanceUID", item.GetString(DicomTags.ReferencedSOPInstanceUID) ?? ""));
        }

        var allUids = new HashSet<string>(StringComparer.Ordinal);
        CollectUids(ds, allUids);
        var known = await map.FindOriginalsAsync(allUids, cancellationToken);
        var missing = references.Where(r => !known.ContainsKey(r.Uid)).ToList();
        if (missing.Count > 0)
        {
            var first = missing[0];
            return ReidentificationResult.Reject($"{missing.Count} referenced UID(s) are not in the UID map (first in {first.Where}{(first.Uid.Length == 0 ? ", empty" : "")})");
        }

        var frameOriginals = model.ReferencedFrames.Select(f => known[f.FrameOfReferenceUid]).ToList();

        // Walk the whole dataset: every UID in the inverse map goes back to its original.
        ReplaceUids(ds, known);
        var shift = request.Original.DateShiftDays;
        if (shift != 0)
        {
            UnshiftDates(ds, -shift);
        }

        Restore(ds, request.Original);
        var now = _options.Time.GetLocalNow();
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time = now.ToString("HHmmss", CultureInfo.InvariantCulture);
        ds.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, _options.UidGenerator.Generate());
        ds.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, _options.UidGenerator.Generate());
        ds.SetString(DicomTags.InstanceCreationDate, DicomVR.DA, date);
        ds.SetString(DicomTags.InstanceCreationTime, DicomVR.TM, time);
        ds.SetString(DicomTags.StructureSetDate, DicomVR.DA, date);
        ds.SetString(DicomTags.StructureSetTime, DicomVR.TM, time);
        ds.SetString(DicomTags.SeriesDescription, DicomVR.LO, _options.SeriesDescription);

        // ROI labels, colours and types by structure name; the template's additional empty ROIs.
        var styled = RtStructureSet.Read(ds);
        styled.Label = _options.StructureSetLabel;
        var styling = request.Styling ?? RoiStyling.None;
        foreach (var roi in styled.Rois)
        {
            var style = styling.Structures.FirstOrDefault(s => string.Equals(s.StructureName, roi.Name, StringComparison.OrdinalIgnoreCase));
            if (style is not null)
            {
                roi.Name = style.Label;
                roi.Color = style.Color ?? roi.Color;
                roi.InterpretedType = style.InterpretedType ?? roi.InterpretedType;
            }
        }

        foreach (var extra in styling.AdditionalEmptyRois)
        {
            if (styled.FindRoi(extra.Label) is null)
            {
                var roi = styled.AddEmptyRoi(extra.Label, extra.Color, extra.InterpretedType);
                roi.FrameOfReferenceUid ??= frameOriginals.FirstOrDefault();
            }
        }

        styled.WriteTo(ds);
        return new ReidentificationResult(new DicomFile(ds, request.Returned.TransferSyntax), null);
    }

    private void Restore(DicomDataset ds, OriginalStudyAttributes o)
    {
        ds.SetString(DicomTags.PatientName, DicomVR.PN, o.PatientName);
        ds.SetString(DicomTags.PatientID, DicomVR.LO, o.PatientId);
        SetOrRemove(ds, DicomTags.IssuerOfPatientID, DicomVR.LO, o.IssuerOfPatientId);
        ds.SetString(DicomTags.PatientBirthDate, DicomVR.DA, o.PatientBirthDate ?? "");
        ds.SetString(DicomTags.PatientSex, DicomVR.CS, o.PatientSex ?? "");
        ds.SetString(DicomTags.StudyDate, DicomVR.DA, o.StudyDate ?? "");
        ds.SetString(DicomTags.StudyTime, DicomVR.TM, o.StudyTime ?? "");
        ds.SetString(DicomTags.StudyID, DicomVR.SH, o.StudyId ?? "");
        ds.SetString(DicomTags.AccessionNumber, DicomVR.SH, o.AccessionNumber ?? "");
        ds.SetString(DicomTags.ReferringPhysicianName, DicomVR.PN, o.ReferringPhysicianName ?? "");
        if (_options.RestoreDescriptions && o.StudyDescription is not null)
        {
            ds.SetString(DicomTags.StudyDescription, DicomVR.LO, o.StudyDescription);
        }

        foreach (var tag in new[] { DicomTags.PatientIdentityRemoved, DicomTags.DeidentificationMethod, DicomTags.DeidentificationMethodCodeSequence, DicomTags.LongitudinalTemporalInformationModified })
        {
            ds.Remove(tag);
        }
    }

    private static void SetOrRemove(DicomDataset ds, DicomTag tag, DicomVR vr, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            ds.Remove(tag);
        }
        else
        {
            ds.SetString(tag, vr, value);
        }
    }

    private static void CollectUids(DicomDataset ds, HashSet<string> into)
    {
        foreach (var e in ds.Elements)
        {
            if (e is DicomSequence sq)
            {
                foreach (var item in sq.Items)
                {
                    CollectUids(item, into);
                }
            }
            else if (e.VR == DicomVR.UI && !e.IsEmpty)
            {
                foreach (var v in Encoding.ASCII.GetString(e.GetBytes().Span).TrimEnd('\0', ' ').Split('\\'))
                {
                    into.Add(v.Trim('\0', ' '));
                }
            }
        }
    }

    private static void ReplaceUids(DicomDataset ds, IReadOnlyDictionary<string, string> known)
    {
        var elements = ds.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            if (e is DicomSequence sq)
            {
                foreach (var item in sq.Items)
                {
                    ReplaceUids(item, known);
                }
            }
            else if (e.VR == DicomVR.UI && !e.IsEmpty)
            {
                var values = Encoding.ASCII.GetString(e.GetBytes().Span).TrimEnd('\0', ' ').Split('\\');
                var changed = false;
                for (var v = 0; v < values.Length; v++)
                {
                    if (known.TryGetValue(values[v].Trim('\0', ' '), out var original))
                    {
                        values[v] = original;
                        changed = true;
                    }
                }

                if (changed)
                {
                    ds.Add(new DicomElement(e.Tag, DicomVR.UI, DicomDataset.Pad(Encoding.ASCII.GetBytes(string.Join('\\', values)), DicomVR.UI)));
                }
            }
        }
    }

    private static void UnshiftDates(DicomDataset ds, int days)
    {
        var elements = ds.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            if (e is DicomSequence sq)
            {
                foreach (var item in sq.Items)
                {
                    UnshiftDates(item, days);
                }
            }
            else if (e.VR is DicomVR.DA or DicomVR.DT && !e.IsEmpty)
            {
                var values = Encoding.ASCII.GetString(e.GetBytes().Span).TrimEnd('\0', ' ').Split('\\');
                for (var v = 0; v < values.Length; v++)
                {
                    values[v] = (e.VR == DicomVR.DA ? DateShift.ShiftDate(values[v], days) : DateShift.ShiftDateTime(values[v], days)) ?? "";
                }

                ds.Add(new DicomElement(e.Tag, e.VR, DicomDataset.Pad(Encoding.ASCII.GetBytes(string.Join('\\', values).Trim('\\')), e.VR)));
            }
        }
    }
}
