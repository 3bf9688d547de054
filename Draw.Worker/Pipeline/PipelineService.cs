using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Pipeline;

/// <summary>Thin shell: every few seconds, plan jobs for decided series and run every due step.</summary>
internal sealed partial class PipelineService(
    JobPlanner planner,
    JobRunner runner,
    IDbContextFactory<DrawDbContext> contexts,
    IEventPublisher publisher,
    ServiceStates states,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILogger<PipelineService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            try
            {
                await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
                {
                    if (await planner.PlanAsync(db, stoppingToken) > 0)
                    {
                        await db.SaveAndPublishAsync(publisher, stoppingToken);
                    }
                }

                await runner.RunDueAsync(stoppingToken);
                states.Set("pipeline", ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("pipeline", ServiceState.FailedBecause(ex.Message));
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The pipeline loop failed; retrying")]
    private partial void LogFailed(Exception exception);
}
