using Draw.Domain.Export;
using Draw.Domain.Index;
using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>
/// Plans one delivery per destination the export rules name (global rules and the job's template),
/// then waits until each is delivered or parked; the deliveries themselves run in the delivery
/// runner. All delivered: RT Structure Exported. Any parked: RT Structure Export Failed with the
/// reasons, and a person's retry plans again (re-arming the failed deliveries, never repeating the
/// delivered ones).
/// </summary>
internal sealed class ExportStep(TimeProvider time) : IPipelineStep
{
    /// <summary>How often the step looks at its deliveries while they run.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    public JobStep Step => JobStep.Export;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var db = context.Db;
        var sop = job.ResultSopInstanceUid!;
        if (job.ExportsPlannedAt is null)
        {
            var destinations = await db.DestinationsForTemplateAsync(job.TemplateId, cancellationToken);
            if (destinations.Count == 0)
            {
                return StepOutcome.Fail("no export destination: no enabled export rule sends this template's results to an enabled destination (add one with 'draw destinations add' and 'draw export-rules add')", transient: false, SeriesStatus.RtStructureExportFailed);
            }

            foreach (var destination in destinations)
            {
                var (delivery, created) = await db.EnsureDeliveryAsync(time, new DeliveryRequest(destination.Id, sop, job.ResultPath!, "pipeline") { SeriesId = job.SeriesId, JobId = job.Id }, cancellationToken);
                if (created)
                {
                    db.Append(time, EventKinds.ExportQueued, new { job = job.Id, destination = destination.Name }, job.SeriesId);
                }
                else if (delivery.State == DeliveryState.Failed)
                {
                    db.Retry(time, delivery, job.RequestedBy);
                }
            }

            job.ExportsPlannedAt = time.GetUtcNow().UtcDateTime;
            return StepOutcome.WaitFor(CheckEvery);
        }

        var latest = (await db.ExportDeliveries.AsNoTracking().Where(d => d.SopInstanceUid == sop && d.JobId == job.Id).ToListAsync(cancellationToken))
            .GroupBy(d => d.DestinationId).Select(g => g.MaxBy(d => d.Sequence)!).ToList();
        if (latest.Count == 0 || latest.Any(d => d.State == DeliveryState.Pending))
        {
            job.ExportsPlannedAt = latest.Count == 0 ? null : job.ExportsPlannedAt;
            return StepOutcome.WaitFor(CheckEvery);
        }

        var failed = latest.Where(d => d.State == DeliveryState.Failed).ToList();
        if (failed.Count > 0)
        {
            // Parked: a person's retry resumes here and plans again, re-arming only the failed deliveries.
            job.ExportsPlannedAt = null;
            var names = await db.ExportDestinations.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
            var reasons = failed.Select(d => $"{names.GetValueOrDefault(d.DestinationId, $"destination {d.DestinationId}")}: {d.LastError}");
            return StepOutcome.Fail($"export failed ({failed.Count} of {latest.Count} destinations): {string.Join("; ", reasons)}", transient: false, SeriesStatus.RtStructureExportFailed);
        }

        return StepOutcome.Continue(JobStep.Done, SeriesStatus.RtStructureExported);
    }
}
