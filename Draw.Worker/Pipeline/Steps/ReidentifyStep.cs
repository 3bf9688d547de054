using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Domain.Index;
using Draw.Domain.Privacy;
using Draw.Domain.Segmentation;
using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>
/// Validates the returned structure set against the submission (it references the submitted series
/// and only UIDs we issued) and re-identifies it: original UIDs, patient and study from the index,
/// the template's ROI labels, colours and types, its additional empty ROIs, new series and instance UIDs.
/// </summary>
internal sealed class ReidentifyStep(DeidentificationService deidentification) : IPipelineStep
{
    public JobStep Step => JobStep.Reidentify;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        if (job.ResultPath is not null && File.Exists(job.ResultPath))
        {
            return StepOutcome.Continue(JobStep.Confirm);
        }

        var study = await context.Db.Studies.AsNoTracking().Include(s => s.Patient).SingleAsync(s => s.Id == context.Series.StudyId, cancellationToken);
        var firstInstance = await context.Db.InstancePathsInOrder(context.Series.Id, includeLate: false).FirstAsync(cancellationToken);
        var identity = PatientIdentity.From(DicomFile.OpenHeader(firstInstance).Dataset);
        var pseudonyms = await deidentification.Patients.GetAsync([identity], cancellationToken);
        var original = new OriginalStudyAttributes
        {
            PatientId = study.Patient!.PatientId,
            PatientName = study.Patient.Name ?? "",
            PatientBirthDate = study.Patient.BirthDate,
            PatientSex = study.Patient.Sex,
            IssuerOfPatientId = identity.IssuerOfPatientId,
            StudyDate = study.StudyDate,
            StudyTime = study.StudyTime,
            StudyId = study.StudyId,
            AccessionNumber = study.AccessionNumber,
            StudyDescription = study.Description,
            DateShiftDays = pseudonyms.TryGetValue(identity.Key, out var pseudonym) ? pseudonym.DateShiftDays : 0,
        };
        var returned = DicomFile.Open(job.DownloadPath!);
        var result = await deidentification.CreateReidentifier().ReidentifyAsync(
            new ReidentificationRequest(returned, [job.PseudonymousSeriesUid!], original, Styling(context.Template)), cancellationToken);
        if (result.File is null)
        {
            return StepOutcome.Fail($"the returned structure set was refused: {result.Rejection}", transient: false, SeriesStatus.InvalidRtStructureReceived, resumeAt: JobStep.Submit);
        }

        Directory.CreateDirectory(context.ResultFolder);
        var path = Path.Combine(context.ResultFolder, "rtstruct.dcm");
        result.File.Save(path);
        job.ResultPath = path;
        job.ResultSopInstanceUid = result.File.Dataset.GetString(DicomTags.SOPInstanceUID);
        return StepOutcome.Continue(JobStep.Confirm);
    }

    /// <summary>The template's presentation: each structure by its catalogue name, and the additional empty ROIs.</summary>
    public static RoiStyling Styling(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new RoiStyling(
            [.. template.Structures.Select(s => new RoiStyle(s.Name, s.RoiLabel, Colour(s.Color), s.InterpretedType))],
            [.. template.AdditionalStructures.Select(a => new RoiStyle(a.RoiLabel, a.RoiLabel, Colour(a.Color), a.InterpretedType))]);
    }

    private static RtColor? Colour(string? value) =>
        RoiProperties.TryNormalizeColor(value, out var normalized) && normalized.Split('\\') is [var r, var g, var b]
            ? new RtColor(byte.Parse(r, System.Globalization.CultureInfo.InvariantCulture), byte.Parse(g, System.Globalization.CultureInfo.InvariantCulture), byte.Parse(b, System.Globalization.CultureInfo.InvariantCulture))
            : null;
}
