using Draw.Domain.Settings;
using Draw.Worker.Health;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Commands;

/// <summary>Thin shell: drains the command queue when woken over the hub, or every poll interval.</summary>
internal sealed partial class CommandProcessorService(
    CommandProcessor processor,
    WakeSignal wake,
    ServiceStates states,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<CommandProcessorService> logger) : BackgroundService
{
    private const string ServiceName = "commands";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        states.Set(ServiceName, ServiceState.Running);
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await processor.DrainAsync(stoppingToken);
                states.Set(ServiceName, ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set(ServiceName, ServiceState.FailedBecause("database unavailable"));
                LogDrainFailed(ex);
            }

            await wake.WaitAsync(poll, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not process the command queue; retrying at the next poll")]
    private partial void LogDrainFailed(Exception exception);
}
