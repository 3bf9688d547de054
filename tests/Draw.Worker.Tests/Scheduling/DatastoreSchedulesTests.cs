using Draw.Domain.Ingest;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Worker.Health;
using Draw.Worker.Scheduling;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Worker.Tests.Scheduling;

/// <summary>The worker's Quartz jobs follow the dashboard's edits: schedule, pause, resume, disable.</summary>
public sealed class DatastoreSchedulesTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Edits_pauses_and_resumes_from_the_dashboard_reach_the_scheduler_with_an_event_each(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var folder = new TempFolder("draw-schedules");
        // Quartz as the worker registers it (in memory), not started: jobs are kept but never fire.
        var services = new ServiceCollection().AddLogging().AddQuartz(_ => { });
        await using var container = services.BuildServiceProvider();
        var factory = container.GetRequiredService<ISchedulerFactory>();
        var scheduler = await factory.GetScheduler();
        var publisher = new RecordingPublisher();
        var schedules = new DatastoreSchedules(factory, database.Factory, new ServiceStates(), new WorkerIdentity(), publisher, TimeProvider.System, NullLogger<DatastoreSchedules>.Instance);
        long id;
        await using (var db = database.CreateContext())
        {
            id = (await db.SaveFromFormAsync(0, new Datastore { Name = "site", Path = folder.Path, IntervalSeconds = 60 }, "admin1", TimeProvider.System, publisher, CancellationToken.None)).Id;
            Assert.Equal(1, await db.WorkCommands.CountAsync(c => c.Kind == WorkCommandKinds.SyncSchedules));
        }

        var key = new JobKey($"datastore-{id}", "datastores");
        await schedules.SyncNowAsync(CancellationToken.None);
        var simple = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(key)));
        Assert.Equal(TimeSpan.FromSeconds(60), simple.RepeatInterval);

        await using (var db = database.CreateContext())
        {
            await db.SetScheduleAsync(id, "0 0/5 * * * ?", 60, "admin1", TimeProvider.System, publisher, CancellationToken.None);
        }

        await schedules.SyncNowAsync(CancellationToken.None);
        var cron = Assert.IsAssignableFrom<ICronTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(key)));
        Assert.Equal("0 0/5 * * * ?", cron.CronExpressionString);

        await using (var db = database.CreateContext())
        {
            await db.SetPausedAsync(id, true, "admin1", TimeProvider.System, publisher, CancellationToken.None);
        }

        await schedules.SyncNowAsync(CancellationToken.None);
        Assert.Null(await scheduler.GetJobDetail(key));

        await using (var db = database.CreateContext())
        {
            await db.SetPausedAsync(id, false, "admin1", TimeProvider.System, publisher, CancellationToken.None);
        }

        await schedules.SyncNowAsync(CancellationToken.None);
        Assert.NotNull(await scheduler.GetJobDetail(key));

        await using (var db = database.CreateContext())
        {
            var applied = await db.Events.Where(e => e.Kind == EventKinds.ScheduleApplied).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
            Assert.Equal(4, applied.Count);
            Assert.Contains("\"state\":\"removed\"", applied[2], StringComparison.Ordinal);
            Assert.Contains("cron 0 0/5 * * * ?", applied[3], StringComparison.Ordinal);
            Assert.Equal(
                [EventKinds.DatastoreSaved, EventKinds.DatastoreSaved, EventKinds.SchedulePaused, EventKinds.ScheduleResumed],
                await db.Events.Where(e => e.Kind.StartsWith("datastore.") || e.Kind == EventKinds.SchedulePaused || e.Kind == EventKinds.ScheduleResumed).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        }

        Assert.Contains(publisher.Published.SelectMany(p => p), e => e.Kind == EventKinds.ScheduleApplied);
        await scheduler.Shutdown();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_form_refuses_bad_values_with_every_reason_and_keeps_names_unique(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var folder = new TempFolder("draw-form");
        var publisher = new RecordingPublisher();
        await using var db = database.CreateContext();
        await db.SaveFromFormAsync(0, new Datastore { Name = "site", Path = folder.Path }, "admin1", TimeProvider.System, publisher, CancellationToken.None);

        var bad = await Assert.ThrowsAsync<InvalidDatastoreException>(() => db.SaveFromFormAsync(
            0, new Datastore { Name = "site", Path = "relative", Cron = "0 0 25 * * ?", QuietPeriodSeconds = -1, Modalities = "" }, "admin1", TimeProvider.System, publisher, CancellationToken.None));
        Assert.Contains("Name 'site' is already used", bad.Message, StringComparison.Ordinal);
        Assert.Contains("Path must be an absolute folder path (got 'relative')", bad.Message, StringComparison.Ordinal);
        Assert.Contains("Cron '0 0 25 * * ?' is not a valid Quartz cron expression", bad.Message, StringComparison.Ordinal);
        Assert.Contains("QuietPeriodSeconds", bad.Message, StringComparison.Ordinal);
        Assert.Contains("Modalities", bad.Message, StringComparison.Ordinal);
        var interval = await Assert.ThrowsAsync<InvalidDatastoreException>(() => db.SetScheduleAsync(1, null, 2, "admin1", TimeProvider.System, publisher, CancellationToken.None));
        Assert.Contains("from 5 to 604800 seconds (got 2)", interval.Message, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Datastores.CountAsync(d => d.Kind == DatastoreKind.Folder));
    }

    [Fact]
    public void Next_runs_follow_the_cron_expression_or_the_interval_from_the_last_run()
    {
        var now = new DateTime(2026, 11, 24, 10, 2, 30, DateTimeKind.Utc);
        Assert.Equal(
            [new DateTime(2026, 11, 24, 10, 5, 0, DateTimeKind.Utc), new DateTime(2026, 11, 24, 10, 10, 0, DateTimeKind.Utc), new DateTime(2026, 11, 24, 10, 15, 0, DateTimeKind.Utc)],
            DatastoreSchedule.NextRuns("0 0/5 * * * ?", 60, null, now, 3, TimeZoneInfo.Utc));
        Assert.Equal(
            [now.AddSeconds(50), now.AddSeconds(110)],
            DatastoreSchedule.NextRuns(null, 60, now.AddSeconds(-10), now, 2));
        Assert.Equal([now], DatastoreSchedule.NextRuns(null, 60, now.AddHours(-1), now, 1));
        Assert.Empty(DatastoreSchedule.NextRuns("not a cron", 60, null, now, 3));
        Assert.Contains("is not a valid Quartz cron expression", DatastoreSchedule.CronProblem("0 0 25 * * ?") ?? "", StringComparison.Ordinal);
        Assert.Contains("Cron is empty", DatastoreSchedule.CronProblem(" ") ?? "", StringComparison.Ordinal);
        Assert.Null(DatastoreSchedule.CronProblem("0 0 12 ? * MON-FRI"));
        Assert.Equal("every 5 minutes", DatastoreSchedule.Describe(new Datastore { Name = "x", Path = "/x", IntervalSeconds = 300 }));
    }
}
