using Draw.Domain.Index;
using Draw.Domain.Segmentation;

namespace Draw.Worker.Pipeline.Steps;

/// <summary>Tells the backend the result arrived; repeated on failure without downloading again.</summary>
internal sealed class ConfirmStep : IPipelineStep
{
    public JobStep Step => JobStep.Confirm;

    public async Task<StepOutcome> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Job.Confirmed)
        {
            await context.Backend.ConfirmAsync(context.Job.TaskId!, cancellationToken);
            context.Job.Confirmed = true;
        }

        return StepOutcome.Continue(JobStep.Export, SeriesStatus.RtStructureReceived);
    }
}
