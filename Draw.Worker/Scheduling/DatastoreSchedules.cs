using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Draw.Worker.Scheduling;

/// <summary>
/// Keeps Quartz's jobs in step with the Datastores table: one job per enabled, unpaused datastore,
/// on its cron expression or interval. Schedules live in the database (editable from the
/// dashboard); a change is applied at the next sync (every 15 s), or at once when the dashboard
/// queues a schedules.sync command. Each job added, changed or removed is reported as an event.
/// </summary>
internal sealed partial class DatastoreSchedules(
    ISchedulerFactory schedulers,
    IDbContextFactory<DrawDbContext> contexts,
    ServiceStates states,
    WorkerIdentity identity,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<DatastoreSchedules> logger) : BackgroundService
{
    private const string Group = "datastores";
    private static readonly TimeSpan SyncEvery = TimeSpan.FromSeconds(15);
    private readonly Dictionary<long, string> scheduled = [];
    private readonly SemaphoreSlim gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SyncEvery, time);
        do
        {
            try
            {
                await SyncNowAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("schedules", ServiceState.FailedBecause(ex.Message));
                LogSyncFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Applies the table's schedules now; safe to call from the timer and a command at once.</summary>
    public async Task SyncNowAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await SyncAsync(scheduler, cancellationToken);
            states.Set("schedules", $"{ServiceState.Running} ({scheduled.Count} datastores)");
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task SyncAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var datastores = await db.Datastores.AsNoTracking().Where(d => d.Enabled && !d.Paused).ToListAsync(cancellationToken);
        foreach (var gone in scheduled.Keys.Except(datastores.Select(d => d.Id)).ToList())
        {
            await scheduler.DeleteJob(JobKeyFor(gone), cancellationToken);
            scheduled.Remove(gone);
            db.Append(time, EventKinds.ScheduleApplied, new { datastore = gone, state = "removed", worker = identity.Id });
        }

        foreach (var datastore in datastores)
        {
            var signature = $"{datastore.Cron}|{datastore.IntervalSeconds}";
            if (scheduled.TryGetValue(datastore.Id, out var current) && current == signature)
            {
                continue;
            }

            var job = JobBuilder.Create<DatastoreScanJob>()
                .WithIdentity(JobKeyFor(datastore.Id))
                .UsingJobData(DatastoreScanJob.DatastoreIdKey, datastore.Id)
                .Build();
            var trigger = TriggerBuilder.Create().WithIdentity($"datastore-{datastore.Id}", Group).StartNow();
            trigger = string.IsNullOrWhiteSpace(datastore.Cron)
                ? trigger.WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(5, datastore.IntervalSeconds))).RepeatForever())
                : trigger.WithCronSchedule(datastore.Cron);
            await scheduler.ScheduleJob(job, trigger.Build(), new ScheduleJobOptions { Replace = true }, cancellationToken);
            scheduled[datastore.Id] = signature;
            var schedule = DatastoreSchedule.Describe(datastore);
            db.Append(time, EventKinds.ScheduleApplied, new { datastore = datastore.Id, state = "scheduled", schedule, worker = identity.Id });
            LogScheduled(datastore.Name, schedule);
        }

        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    private static JobKey JobKeyFor(long datastoreId) => new($"datastore-{datastoreId}", Group);

    public override void Dispose()
    {
        gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Datastore {Name} scheduled {Schedule}")]
    private partial void LogScheduled(string name, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not sync datastore schedules")]
    private partial void LogSyncFailed(Exception exception);
}
