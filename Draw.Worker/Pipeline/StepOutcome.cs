using Draw.Domain.Index;
using Draw.Domain.Segmentation;

namespace Draw.Worker.Pipeline;

/// <summary>What a step reports to the runner, which applies it to the job and the series.</summary>
internal sealed record StepOutcome
{
    public required StepKind Kind { get; init; }

    public JobStep? Next { get; init; }

    public TimeSpan Wait { get; init; }

    public string? Error { get; init; }

    /// <summary>The series' status after this outcome (for Fail: when the job is parked).</summary>
    public SeriesStatus? SeriesStatus { get; init; }

    /// <summary>For Fail: the step a retry resumes at (default: the failing step).</summary>
    public JobStep? ResumeAt { get; init; }

    /// <summary>Done with this step: go on to <paramref name="next"/>.</summary>
    public static StepOutcome Continue(JobStep next, SeriesStatus? status = null, TimeSpan wait = default) =>
        new() { Kind = StepKind.Continue, Next = next, SeriesStatus = status, Wait = wait };

    /// <summary>Not ready yet (the backend is busy or still working): look again later without counting an attempt.</summary>
    public static StepOutcome WaitFor(TimeSpan wait) => new() { Kind = StepKind.Wait, Wait = wait };

    /// <summary>Failed; retried with backoff if transient, else parked at once with <paramref name="status"/>.</summary>
    public static StepOutcome Fail(string error, bool transient, SeriesStatus status, JobStep? resumeAt = null) =>
        new() { Kind = transient ? StepKind.TransientFailure : StepKind.PermanentFailure, Error = error, SeriesStatus = status, ResumeAt = resumeAt };
}

internal enum StepKind
{
    Continue,
    Wait,
    TransientFailure,
    PermanentFailure,
}
