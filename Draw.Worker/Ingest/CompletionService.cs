using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Ingest;

/// <summary>Thin shell: every few seconds, series without a new instance for their quiet period become stable.</summary>
internal sealed partial class CompletionService(
    IDbContextFactory<DrawDbContext> contexts,
    IEventPublisher publisher,
    ServiceStates states,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<CompletionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CompletionCheckSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                if (await db.PromoteStableAsync(time, stoppingToken) > 0)
                {
                    await db.SaveAndPublishAsync(publisher, stoppingToken);
                }

                states.Set("completion", ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("completion", ServiceState.FailedBecause("database unavailable"));
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completion check failed; retrying")]
    private partial void LogFailed(Exception exception);
}
