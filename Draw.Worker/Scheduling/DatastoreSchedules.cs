using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Draw.Worker.Scheduling;

/// <summary>
/// Keeps Quartz's jobs in step with the Datastores table: one job per enabled datastore, on its
/// cron expression or interval. Schedules live in the database (editable from the dashboard);
/// a change is picked up at the next sync.
/// </summary>
internal sealed partial class DatastoreSchedules(
    ISchedulerFactory schedulers,
    IDbContextFactory<DrawDbContext> contexts,
    ServiceStates states,
    TimeProvider time,
    ILogger<DatastoreSchedules> logger) : BackgroundService
{
    private const string Group = "datastores";
    private static readonly TimeSpan SyncEvery = TimeSpan.FromSeconds(15);
    private readonly Dictionary<long, string> scheduled = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = await schedulers.GetScheduler(stoppingToken);
        using var timer = new PeriodicTimer(SyncEvery, time);
        do
        {
            try
            {
                await SyncAsync(scheduler, stoppingToken);
                states.Set("schedules", $"{ServiceState.Running} ({scheduled.Count} datastores)");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("schedules", ServiceState.FailedBecause(ex.Message));
                LogSyncFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SyncAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var datastores = await db.Datastores.AsNoTracking().Where(d => d.Enabled).ToListAsync(cancellationToken);
        foreach (var gone in scheduled.Keys.Except(datastores.Select(d => d.Id)).ToList())
        {
            await scheduler.DeleteJob(JobKeyFor(gone), cancellationToken);
            scheduled.Remove(gone);
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
            LogScheduled(datastore.Name, string.IsNullOrWhiteSpace(datastore.Cron) ? $"every {datastore.IntervalSeconds} s" : $"cron {datastore.Cron}");
        }
    }

    private static JobKey JobKeyFor(long datastoreId) => new($"datastore-{datastoreId}", Group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Datastore {Name} scheduled {Schedule}")]
    private partial void LogScheduled(string name, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not sync datastore schedules")]
    private partial void LogSyncFailed(Exception exception);
}
