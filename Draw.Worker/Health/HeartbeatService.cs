using Draw.Domain.Settings;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Health;

/// <summary>Thin shell: registers the worker, beats every few seconds, marks it stopped on shutdown.</summary>
internal sealed partial class HeartbeatService(
    WorkerHeartbeat heartbeat,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await heartbeat.RegisterAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await heartbeat.BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed beat is survivable (the database may be briefly busy); the next one retries.
                LogBeatFailed(ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await heartbeat.MarkStoppedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStopFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed; retrying at the next beat")]
    private partial void LogBeatFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark this worker stopped")]
    private partial void LogStopFailed(Exception exception);
}
