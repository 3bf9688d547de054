using Draw.Domain.Settings;
using Draw.Worker.Health;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Exporters;

/// <summary>Thin shell: every few seconds, run every due delivery.</summary>
internal sealed partial class DeliveryService(DeliveryRunner runner, ServiceStates states, IOptions<PipelineOptions> options, TimeProvider time, ILogger<DeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            try
            {
                await runner.RunDueAsync(stoppingToken);
                states.Set("exports", ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("exports", ServiceState.FailedBecause(ex.Message));
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The export loop failed; retrying")]
    private partial void LogFailed(Exception exception);
}
