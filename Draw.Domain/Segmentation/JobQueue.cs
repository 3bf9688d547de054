using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Segmentation;

/// <summary>
/// Claiming jobs with a lease (a conditional update, so two workers never run one job), and the
/// retry rule: exponential backoff per step, then parked as failed with the error for a person.
/// </summary>
public static class JobQueue
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static readonly JobStep[] Ended = [JobStep.Done, JobStep.Failed, JobStep.Cancelled];

    /// <summary>
    /// Claims the next due job. A lease is free when it ran out, or when the worker holding it has
    /// stopped or gone stale (no heartbeat for <see cref="Work.WorkerInstance.StaleAfter"/>): a
    /// crashed worker's jobs are taken over within seconds, not at the end of its lease.
    /// </summary>
    public static async Task<SegmentationJob?> TryClaimNextAsync(this DrawDbContext db, string worker, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var staleBefore = now - Work.WorkerInstance.StaleAfter;
        var due = await db.SegmentationJobs.AsNoTracking()
            .Where(j => !Ended.Contains(j.Step) && j.NextAttemptAt <= now
                && (j.LeaseOwner == null || j.LeaseUntil < now
                    || !db.WorkerInstances.Any(w => w.Id == j.LeaseOwner && w.StoppedAt == null && w.LastSeenAt >= staleBefore)))
            .OrderBy(j => j.NextAttemptAt).ThenBy(j => j.Id)
            .Select(j => j.Id).Take(8).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            var until = now + Lease;
            var claimed = await db.SegmentationJobs
                .Where(j => j.Id == id && !Ended.Contains(j.Step)
                    && (j.LeaseOwner == null || j.LeaseUntil < now
                        || !db.WorkerInstances.Any(w => w.Id == j.LeaseOwner && w.StoppedAt == null && w.LastSeenAt >= staleBefore)))
                .ExecuteUpdateAsync(set => set.SetProperty(j => j.LeaseOwner, worker).SetProperty(j => j.LeaseUntil, until), cancellationToken);
            if (claimed == 1)
            {
                return await db.SegmentationJobs.SingleAsync(j => j.Id == id, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> (1-based): base × 2^(attempt-1), at most <paramref name="cap"/>.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan cap)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, cap.Ticks));
        return delay;
    }

    public static void Advance(this SegmentationJob job, JobStep next, DateTime now, TimeSpan? wait = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Step = next;
        job.Attempts = 0;
        job.LastError = null;
        job.NextAttemptAt = now + (wait ?? TimeSpan.Zero);
        job.UpdatedAt = now;
        job.FinishedAt = job.IsActive ? null : now;
    }

    /// <summary>Stops a job where it is (failed or cancelled), remembering the step for a retry.</summary>
    public static void Stop(this SegmentationJob job, JobStep end, string? error, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.StoppedAt = job.IsActive ? job.Step : job.StoppedAt;
        job.Step = end;
        job.LastError = error;
        job.UpdatedAt = now;
        job.FinishedAt = now;
        job.LeaseOwner = null;
        job.LeaseUntil = null;
    }

    /// <summary>Puts a stopped job back at the step where it stopped, due now.</summary>
    public static void Resume(this SegmentationJob job, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Step = job.StoppedAt ?? JobStep.Package;
        ForgetFrom(job, job.Step);
        job.StoppedAt = null;
        job.Attempts = 0;
        job.LastError = null;
        job.NextAttemptAt = now;
        job.UpdatedAt = now;
        job.FinishedAt = null;
    }

    /// <summary>Drops what the steps from <paramref name="step"/> on produced, so they run again for real.</summary>
    private static void ForgetFrom(SegmentationJob job, JobStep step)
    {
        if (step <= JobStep.Package)
        {
            job.PackagePath = null;
            job.PackageSha256 = null;
            job.PseudonymousSeriesUid = null;
        }

        if (step <= JobStep.Submit)
        {
            job.TaskId = null;
            job.UploadStartedAt = null;
            job.SubmittedAt = null;
            job.ServerStatus = null;
            job.LastPolledAt = null;
        }

        if (step <= JobStep.Download)
        {
            job.DownloadPath = null;
            job.DownloadSha256 = null;
        }

        if (step <= JobStep.Reidentify)
        {
            job.ResultPath = null;
            job.ResultSopInstanceUid = null;
        }

        if (step <= JobStep.Confirm)
        {
            job.Confirmed = false;
        }
    }
}
