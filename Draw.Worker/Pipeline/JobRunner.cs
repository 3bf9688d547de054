using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Draw.Domain.Templates;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Pipeline;

/// <summary>
/// Runs due jobs one step at a time: claims a job with a lease, runs its step, and applies the
/// outcome to the job (next step, wait, retry with backoff, or parked as failed) and to the
/// series' status, with the events, in one commit.
/// </summary>
internal sealed partial class JobRunner(
    IDbContextFactory<DrawDbContext> contexts,
    IEnumerable<IPipelineStep> steps,
    BackendRegistry backends,
    WorkerIdentity identity,
    DataRoot dataRoot,
    IOptions<PipelineOptions> options,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    private readonly Dictionary<JobStep, IPipelineStep> byStep = steps.ToDictionary(s => s.Step);

    /// <summary>Runs steps until nothing is due; returns how many steps ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        while (await RunOneAsync(cancellationToken))
        {
            ran++;
        }

        return ran;
    }

    public async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var job = await db.TryClaimNextAsync(identity.Id, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (job is null)
        {
            return false;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id, ["SeriesId"] = job.SeriesId, ["Step"] = job.Step.ToString() });
        var series = await db.Series.SingleAsync(s => s.Id == job.SeriesId, cancellationToken);
        var outcome = await RunStepAsync(db, job, series, cancellationToken);
        Apply(db, job, series, outcome);
        job.LeaseOwner = null;
        job.LeaseUntil = null;
        await db.SaveAndPublishAsync(publisher, cancellationToken);
        return true;
    }

    private async Task<StepOutcome> RunStepAsync(DrawDbContext db, SegmentationJob job, Domain.Index.Series series, CancellationToken cancellationToken)
    {
        if (series.Status == SeriesStatus.Cancelled)
        {
            return new StepOutcome { Kind = StepKind.PermanentFailure, Error = "cancelled", SeriesStatus = SeriesStatus.Cancelled };
        }

        var template = await db.LoadTemplateAsync(job.TemplateId, cancellationToken);
        if (template is null)
        {
            return StepOutcome.Fail($"template {job.TemplateId} no longer exists", transient: false, FailureStatusFor(job.Step));
        }

        if (backends.Find(job.Backend) is not { } backend)
        {
            return StepOutcome.Fail($"no backend named '{job.Backend}' is configured (known: {string.Join(", ", backends.Names)})", transient: false, FailureStatusFor(job.Step));
        }

        var folder = Path.Combine(dataRoot.Work, "jobs", job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        try
        {
            return await byStep[job.Step].RunAsync(new JobContext(db, job, series, template, backend, folder), cancellationToken);
        }
        catch (BackendException ex)
        {
            return StepOutcome.Fail(ex.Message, ex.Transient, FailureStatusFor(job.Step));
        }
        catch (HttpRequestException ex)
        {
            return StepOutcome.Fail(ex.Message, transient: true, FailureStatusFor(job.Step));
        }
        catch (IOException ex)
        {
            return StepOutcome.Fail(ex.Message, transient: true, FailureStatusFor(job.Step));
        }
    }

    private void Apply(DrawDbContext db, SegmentationJob job, Domain.Index.Series series, StepOutcome outcome)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        switch (outcome.Kind)
        {
            case StepKind.Continue:
                var from = job.Step;
                job.Advance(outcome.Next!.Value, now, outcome.Wait);
                db.Append(time, EventKinds.JobStep, new { job = job.Id, from = from.ToString(), to = job.Step.ToString() }, job.SeriesId);
                SetSeriesStatus(db, series, outcome.SeriesStatus, $"{from} done");
                break;
            case StepKind.Wait:
                job.NextAttemptAt = now + outcome.Wait;
                job.UpdatedAt = now;
                break;
            case StepKind.TransientFailure when job.Attempts + 1 < settings.MaxAttempts:
                job.Attempts++;
                job.LastError = outcome.Error;
                job.UpdatedAt = now;
                job.NextAttemptAt = now + JobQueue.Backoff(job.Attempts, TimeSpan.FromSeconds(settings.BackoffBaseSeconds), TimeSpan.FromSeconds(settings.BackoffMaxSeconds));
                db.Append(time, EventKinds.JobRetrying, new { job = job.Id, step = job.Step.ToString(), attempt = job.Attempts, next = job.NextAttemptAt, error = outcome.Error }, job.SeriesId);
                LogRetrying(job.Step.ToString(), job.Attempts, outcome.Error ?? "");
                break;
            default:
                var stoppedAt = outcome.ResumeAt ?? job.Step;
                var cancelled = outcome.SeriesStatus == SeriesStatus.Cancelled;
                job.Stop(cancelled ? JobStep.Cancelled : JobStep.Failed, outcome.Error, now);
                job.StoppedAt = stoppedAt;
                db.Append(time, cancelled ? EventKinds.JobCancelled : EventKinds.JobFailed, new { job = job.Id, step = stoppedAt.ToString(), error = outcome.Error }, job.SeriesId);
                SetSeriesStatus(db, series, outcome.SeriesStatus, outcome.Error);
                if (!cancelled)
                {
                    LogParked(stoppedAt.ToString(), outcome.Error ?? "");
                }

                break;
        }
    }

    private void SetSeriesStatus(DrawDbContext db, Domain.Index.Series series, SeriesStatus? status, string? reason)
    {
        if (status is { } to && series.Status != to)
        {
            db.ChangeStatus(time, series, to, reason);
        }
    }

    /// <summary>The status a series shows when a job is parked at <paramref name="step"/>.</summary>
    public static SeriesStatus FailureStatusFor(JobStep step) => step switch
    {
        JobStep.Package => SeriesStatus.DeidentificationFailed,
        JobStep.Submit or JobStep.Poll or JobStep.Confirm => SeriesStatus.FailedTransferToDrawServer,
        JobStep.Download or JobStep.Reidentify => SeriesStatus.InvalidRtStructureReceived,
        _ => SeriesStatus.RtStructureExportFailed,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step} failed (attempt {Attempt}); retrying: {Error}")]
    private partial void LogRetrying(string step, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job parked as failed at {Step}: {Error}")]
    private partial void LogParked(string step, string error);
}
