using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Pipeline;

/// <summary>
/// Turns decisions into jobs: a Rule Matched series (by rules or a person) without an active job
/// gets one, or its failed job resumes where it stopped (a retry never re-does finished steps);
/// an active job whose series was cancelled stops.
/// </summary>
internal sealed class JobPlanner(TimeProvider time)
{
    public async Task<int> PlanAsync(DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        var changes = 0;
        var matched = await db.Series.Where(s => s.Status == SeriesStatus.RuleMatched)
            .Where(s => !db.SegmentationJobs.Any(j => j.SeriesId == s.Id && j.Step != JobStep.Done && j.Step != JobStep.Failed && j.Step != JobStep.Cancelled))
            .OrderBy(s => s.StatusChangedAt).ThenBy(s => s.Id).Take(50).ToListAsync(cancellationToken);
        foreach (var series in matched)
        {
            var decision = await db.SeriesMatches.AsNoTracking().Include(m => m.Template).FirstOrDefaultAsync(m => m.SeriesId == series.Id, cancellationToken);
            if (decision?.Template is null)
            {
                continue;
            }

            var last = await db.SegmentationJobs.Where(j => j.SeriesId == series.Id).OrderByDescending(j => j.Id).FirstOrDefaultAsync(cancellationToken);
            if (last is { Step: JobStep.Failed } && last.TemplateId == decision.Template.Id && last.StoppedAt is not null)
            {
                last.Resume(now);
                db.Append(time, EventKinds.JobResumed, new { job = last.Id, step = last.Step.ToString(), by = decision.DecidedBy }, series.Id);
            }
            else
            {
                var job = new SegmentationJob
                {
                    SeriesId = series.Id,
                    TemplateId = decision.Template.Id,
                    Backend = decision.Template.Backend,
                    RequestedBy = decision.DecidedBy,
                    Step = JobStep.Package,
                    CreatedAt = now,
                    UpdatedAt = now,
                    NextAttemptAt = now,
                };
                db.SegmentationJobs.Add(job);
                await db.SaveChangesAsync(cancellationToken);
                db.Append(time, EventKinds.JobCreated, new { job = job.Id, template = decision.Template.Name, backend = job.Backend, by = job.RequestedBy }, series.Id);
            }

            changes++;
        }

        var cancelled = await db.SegmentationJobs
            .Where(j => j.Step != JobStep.Done && j.Step != JobStep.Failed && j.Step != JobStep.Cancelled)
            .Where(j => db.Series.Any(s => s.Id == j.SeriesId && s.Status == SeriesStatus.Cancelled))
            .ToListAsync(cancellationToken);
        foreach (var job in cancelled)
        {
            job.Stop(JobStep.Cancelled, "cancelled", now);
            db.Append(time, EventKinds.JobCancelled, new { job = job.Id }, job.SeriesId);
            changes++;
        }

        return changes;
    }
}
