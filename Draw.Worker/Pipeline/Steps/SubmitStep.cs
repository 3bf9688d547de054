using Draw.Domain.Index;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>Asks the backend whether it takes work now (busy means wait, not fail), then uploads the package.</summary>
internal sealed class SubmitStep(IOptions<PipelineOptions> options, TimeProvider time) : IPipelineStep
{
    private static readonly TimeSpan BusyWait = TimeSpan.FromSeconds(60);

    public JobStep Step => JobStep.Submit;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        if (job.TaskId is not null)
        {
            return StepOutcome.Continue(JobStep.Poll, SeriesStatus.SentToDrawServer);
        }

        if (job.PackagePath is null || !File.Exists(job.PackagePath))
        {
            return StepOutcome.Fail("the package is missing; retry re-packages it", transient: false, SeriesStatus.DeidentificationFailed, resumeAt: JobStep.Package);
        }

        if (context.Series.Status != SeriesStatus.PendingTransferToDrawServer)
        {
            context.Db.ChangeStatus(time, context.Series, SeriesStatus.PendingTransferToDrawServer, "checking the backend");
        }

        var health = await context.Backend.CheckHealthAsync(cancellationToken);
        switch (health.State)
        {
            case BackendHealthState.Busy:
                return StepOutcome.WaitFor(health.RetryAfter ?? BusyWait);
            case BackendHealthState.Unavailable:
                return StepOutcome.Fail($"the backend is unavailable: {health.Detail}", transient: true, SeriesStatus.FailedTransferToDrawServer);
        }

        if (job.UploadStartedAt is not null && !context.Backend.IdempotentSubmit)
        {
            // The last upload was cut off (the worker stopped mid-transfer): the server may already
            // have it, and sending again could make a second task. A person decides.
            return StepOutcome.Fail("an upload was interrupted when the worker stopped; the server may already have it. Retry to send it again.",
                transient: false, SeriesStatus.FailedTransferToDrawServer, resumeAt: JobStep.Submit);
        }

        // Committed before the transfer starts, so a crash during it is visible at the next attempt.
        job.UploadStartedAt = time.GetUtcNow().UtcDateTime;
        await context.Db.SaveChangesAsync(cancellationToken);
        BackendSubmission submission;
        try
        {
            submission = await context.Backend.SubmitAsync(new SubmissionPackage(job.PackagePath, job.PackageSha256!, job.PseudonymousSeriesUid ?? ""), cancellationToken);
        }
        finally
        {
            // Returned or failed: either way we know what happened to this upload.
            job.UploadStartedAt = null;
        }

        job.TaskId = submission.TaskId;
        job.SubmittedAt = time.GetUtcNow().UtcDateTime;
        return StepOutcome.Continue(JobStep.Poll, SeriesStatus.SentToDrawServer, TimeSpan.FromSeconds(options.Value.PollIntervalSeconds));
    }
}
