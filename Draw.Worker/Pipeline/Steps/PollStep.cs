using Draw.Domain.Index;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>Asks for the task's status until it is ready, failed, unknown, or too old.</summary>
internal sealed class PollStep(IOptions<PipelineOptions> options, TimeProvider time) : IPipelineStep
{
    public JobStep Step => JobStep.Poll;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job;
        var status = await context.Backend.GetStatusAsync(job.TaskId!, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        job.ServerStatus = status.ServerStatus ?? status.State.ToString();
        job.LastPolledAt = now;
        return status.State switch
        {
            BackendTaskState.Ready => StepOutcome.Continue(JobStep.Download),
            BackendTaskState.Failed => StepOutcome.Fail($"the backend reports the segmentation failed: {status.Error ?? status.ServerStatus}", transient: false, SeriesStatus.FailedTransferToDrawServer, resumeAt: JobStep.Submit),
            BackendTaskState.NotFound => StepOutcome.Fail("the backend does not know the task (not found); retry submits again", transient: false, SeriesStatus.FailedTransferToDrawServer, resumeAt: JobStep.Submit),
            _ when now - (job.SubmittedAt ?? now) > TimeSpan.FromHours(options.Value.GiveUpAfterHours) =>
                StepOutcome.Fail($"no result after {options.Value.GiveUpAfterHours} hours (last status: {job.ServerStatus})", transient: false, SeriesStatus.FailedTransferToDrawServer, resumeAt: JobStep.Submit),
            _ => StepOutcome.WaitFor(TimeSpan.FromSeconds(options.Value.PollIntervalSeconds)),
        };
    }
}
