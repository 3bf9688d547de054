using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;
using Draw.Testing.Database;

namespace Draw.Domain.Tests.Segmentation;

public sealed class JobQueueTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_job_is_run_by_one_worker_at_a_time_and_taken_over_when_its_lease_ends_or_its_worker_goes_silent(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
        await using (var db = database.CreateContext())
        {
            foreach (var name in new[] { "worker-0", "worker-1", "worker-2", "worker-3", "second", "rescuer" })
            {
                // Alive throughout the test: beating "now" and for the next ten minutes.
                db.WorkerInstances.Add(new WorkerInstance { Id = name, Host = "h", Version = "v", StartedAt = now, LastSeenAt = now.AddMinutes(10) });
            }

            db.SegmentationJobs.Add(new SegmentationJob { SeriesId = 1, TemplateId = 1, Backend = "local", RequestedBy = "rules", CreatedAt = now, UpdatedAt = now, NextAttemptAt = now });
            db.SegmentationJobs.Add(new SegmentationJob { SeriesId = 2, TemplateId = 1, Backend = "local", RequestedBy = "rules", CreatedAt = now, UpdatedAt = now, NextAttemptAt = now.AddMinutes(1) });
            await db.SaveChangesAsync();
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async n =>
        {
            await using var db = database.CreateContext();
            return await db.TryClaimNextAsync($"worker-{n}", now, CancellationToken.None);
        }));
        var first = Assert.Single(claims, c => c is not null)!;
        Assert.Equal(1, first.SeriesId);

        // While job 1's lease holds and its worker beats, only job 2 (due a minute later) can be claimed.
        await using var check = database.CreateContext();
        Assert.Equal(2, (await check.TryClaimNextAsync("second", now.AddMinutes(2), CancellationToken.None))?.SeriesId);
        Assert.Null(await check.TryClaimNextAsync("rescuer", now.AddMinutes(3), CancellationToken.None));

        // Its lease runs out: another worker takes job 1 over.
        check.ChangeTracker.Clear();
        var rescued = await check.TryClaimNextAsync("rescuer", now.Add(JobQueue.Lease).AddSeconds(1), CancellationToken.None);
        Assert.Equal(1, rescued?.SeriesId);

        // A worker that stops beating loses its jobs long before their lease ends.
        await check.WorkerInstances.Where(w => w.Id == "second")
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.LastSeenAt, now.AddMinutes(2)));
        check.ChangeTracker.Clear();
        var takenOver = await check.TryClaimNextAsync("rescuer", now.AddMinutes(2).Add(WorkerInstance.StaleAfter).AddSeconds(1), CancellationToken.None);
        Assert.Equal(2, takenOver?.SeriesId);
    }

    [Fact]
    public void Backoff_doubles_from_the_base_up_to_the_cap()
    {
        var baseDelay = TimeSpan.FromSeconds(10);
        var cap = TimeSpan.FromMinutes(30);
        Assert.Equal(TimeSpan.FromSeconds(10), JobQueue.Backoff(1, baseDelay, cap));
        Assert.Equal(TimeSpan.FromSeconds(20), JobQueue.Backoff(2, baseDelay, cap));
        Assert.Equal(TimeSpan.FromSeconds(80), JobQueue.Backoff(4, baseDelay, cap));
        Assert.Equal(cap, JobQueue.Backoff(20, baseDelay, cap));
    }

    [Fact]
    public void A_stopped_job_resumes_at_the_step_where_it_stopped()
    {
        var now = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
        var job = new SegmentationJob { Backend = "local", RequestedBy = "rules", Step = JobStep.Download, Attempts = 5 };
        job.Stop(JobStep.Failed, "checksum mismatch", now);
        Assert.Equal(JobStep.Failed, job.Step);
        Assert.Equal(JobStep.Download, job.StoppedAt);
        Assert.False(job.IsActive);

        job.Resume(now.AddMinutes(5));
        Assert.Equal(JobStep.Download, job.Step);
        Assert.Equal(0, job.Attempts);
        Assert.Null(job.LastError);
        Assert.True(job.IsActive);
    }
}
