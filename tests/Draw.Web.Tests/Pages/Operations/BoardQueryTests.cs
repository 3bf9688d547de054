using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Draw.Testing.Database;

namespace Draw.Web.Tests.Pages.Operations;

/// <summary>The board's aggregates on both providers: counts with the oldest waiting age, and throughput per hour.</summary>
public sealed class BoardQueryTests
{
    private static readonly DateTime T0 = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Counts_per_status_and_step_carry_when_the_longest_waiting_entered_and_throughput_counts_each_hour(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var time = new SettableTime { Now = T0 };
        await using (var db = database.CreateContext())
        {
            var study = new Study { StudyInstanceUid = "1.2.3", Patient = new Patient { PatientId = "P1" } };
            db.Studies.Add(study);
            var series = Enumerable.Range(0, 4).Select(i => new Domain.Index.Series
            {
                Study = study,
                SeriesInstanceUid = $"1.2.3.{i}",
                Status = i < 2 ? SeriesStatus.SentToDrawServer : i == 2 ? SeriesStatus.RtStructureExported : SeriesStatus.Receiving,
                StatusChangedAt = T0.AddMinutes(i * 10),
            }).ToList();
            db.Series.AddRange(series);
            await db.SaveChangesAsync();

            // Two jobs poll; the first entered Poll at 8:05 although its UpdatedAt moves at each poll; one job is done.
            foreach (var (s, step) in new[] { (series[0], JobStep.Poll), (series[1], JobStep.Poll), (series[2], JobStep.Done) })
            {
                db.SegmentationJobs.Add(new SegmentationJob { SeriesId = s.Id, TemplateId = 1, Backend = "local", Step = step, RequestedBy = "rules", CreatedAt = T0, UpdatedAt = T0.AddHours(2) });
            }

            time.Now = T0.AddMinutes(1);
            db.Append(time, EventKinds.JobCreated, new { job = 1 }, series[0].Id);
            time.Now = T0.AddMinutes(5);
            db.Append(time, EventKinds.JobStep, new { job = 1, from = "Submit", to = "Poll" }, series[0].Id);
            time.Now = T0.AddMinutes(30);
            db.Append(time, EventKinds.JobStep, new { job = 2, from = "Submit", to = "Poll" }, series[1].Id);

            // Throughput: two series and 30 instances in the 8:00 hour, one completed at 9:10, and an event a day old.
            time.Now = T0.AddMinutes(2);
            db.Append(time, EventKinds.SeriesCreated, new { source = "Datastore" }, series[0].Id);
            db.Append(time, EventKinds.SeriesCreated, new { source = "Datastore" }, series[1].Id);
            db.Append(time, EventKinds.SeriesInstancesArrived, new { count = 20, total = 20 }, series[0].Id);
            db.Append(time, EventKinds.SeriesInstancesArrived, new { count = 10, total = 10 }, series[1].Id);
            time.Now = T0.AddMinutes(70);
            db.Append(time, EventKinds.SeriesStatusChanged, new { from = "RtStructureReceived", to = "RtStructureExported", reason = "done" }, series[2].Id);
            db.Append(time, EventKinds.SeriesStatusChanged, new { from = "Receiving", to = "Unprocessed", reason = "stable" }, series[3].Id);
            time.Now = T0.AddDays(-1);
            db.Append(time, EventKinds.SeriesCreated, new { source = "Listener" }, series[3].Id);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var statuses = await read.StatusCountsAsync(CancellationToken.None);
        Assert.Equal(Enum.GetValues<SeriesStatus>().Length, statuses.Count);
        Assert.Equal(new StatusCount(SeriesStatus.SentToDrawServer, 2, T0), statuses.Single(s => s.Status == SeriesStatus.SentToDrawServer));
        Assert.Equal(new StatusCount(SeriesStatus.Receiving, 1, T0.AddMinutes(30)), statuses.Single(s => s.Status == SeriesStatus.Receiving));
        Assert.Equal(new StatusCount(SeriesStatus.Cancelled, 0, null), statuses.Single(s => s.Status == SeriesStatus.Cancelled));

        var steps = await read.StepCountsAsync(CancellationToken.None);
        Assert.Equal(new StepCount(JobStep.Poll, 2, T0.AddMinutes(5)), steps.Single(s => s.Step == JobStep.Poll));
        Assert.Equal(new StepCount(JobStep.Done, 1, null), steps.Single(s => s.Step == JobStep.Done));
        Assert.Equal(new StepCount(JobStep.Package, 0, null), steps.Single(s => s.Step == JobStep.Package));

        var now = T0.AddMinutes(90);
        var buckets = new ThroughputBuckets(24);
        buckets.AddRange(await read.ThroughputEventsAsync(ThroughputBuckets.HourOf(now).AddHours(-23), CancellationToken.None));
        var window = buckets.Window(now);
        Assert.Equal(24, window.Count);
        Assert.Equal(new ThroughputHour(T0, 2, 30, 0), window[^2]);
        Assert.Equal(new ThroughputHour(T0.AddHours(1), 0, 0, 1), window[^1]);
        Assert.Equal((2, 30, 1), (window.Sum(h => h.SeriesReceived), window.Sum(h => h.InstancesReceived), window.Sum(h => h.SeriesCompleted)));

        // A live event counts once, even when its catch-up copy arrives too; an hour out of the window drops out.
        var live = new LiveEvent(999, now, EventKinds.SeriesInstancesArrived, 1, "{\"count\":5,\"total\":25}");
        buckets.Add(live);
        buckets.Add(live);
        Assert.Equal(5, buckets.Window(now)[^1].InstancesReceived);
        Assert.Equal(0, buckets.Window(now.AddHours(24)).Sum(h => h.InstancesReceived));
    }

    /// <summary>A clock the test sets freely, backwards too: events are written out of time order on purpose.</summary>
    private sealed class SettableTime : TimeProvider
    {
        public DateTime Now { get; set; }

        public override DateTimeOffset GetUtcNow() => new(Now);
    }
}
