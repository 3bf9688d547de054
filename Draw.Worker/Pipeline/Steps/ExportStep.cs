using System.Globalization;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Segmentation;
using Draw.Worker.Ingest;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>
/// Write-back: puts the re-identified RTSTRUCT beside the images as RS_PatientID_DRAW_timestamp.dcm.
/// Exactly once, even across a crash: the name is chosen and committed first; the copy then goes to
/// a temporary name and is renamed onto that name (a repeat overwrites the same file), and the
/// file-operation row is written once.
/// </summary>
internal sealed class ExportStep(TimeProvider time) : IPipelineStep
{
    public JobStep Step => JobStep.Export;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var folder = context.Series.RootPath;
        if (folder is null || !Directory.Exists(folder))
        {
            return StepOutcome.Fail($"the series folder {folder} is gone; nowhere to write back", transient: false, SeriesStatus.RtStructureExportFailed);
        }

        if (job.ExportPath is null)
        {
            var patient = await context.Db.Studies.AsNoTracking().Where(s => s.Id == context.Series.StudyId).Select(s => s.Patient!.PatientId).SingleAsync(cancellationToken);
            job.ExportPath = Path.Combine(folder, $"RS_{SafeName.For(patient)}_DRAW_{time.GetUtcNow().ToLocalTime().ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}.dcm");
            return StepOutcome.WaitFor(TimeSpan.Zero);
        }

        var temporary = Path.Combine(folder, "." + Path.GetFileName(job.ExportPath) + ".part");
        File.Copy(job.ResultPath!, temporary, overwrite: true);
        File.Move(temporary, job.ExportPath, overwrite: true);
        var recorded = await context.Db.FileOperations.AsNoTracking()
            .AnyAsync(o => o.SeriesId == context.Series.Id && o.Kind == FileOperationKind.Exported && o.Target == job.ExportPath, cancellationToken);
        if (!recorded)
        {
            context.Db.FileOperations.Add(new FileOperation { Time = time.GetUtcNow().UtcDateTime, Kind = FileOperationKind.Exported, Source = job.ResultPath!, Target = job.ExportPath, Result = "ok", SeriesId = context.Series.Id });
        }

        return StepOutcome.Continue(JobStep.Done, SeriesStatus.RtStructureExported);
    }
}
