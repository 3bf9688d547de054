using Draw.Worker.Health;

namespace Draw.Worker.Matching;

/// <summary>Thin shell: every few seconds, stable series are matched against the rule groups.</summary>
internal sealed partial class MatchingService(SeriesMatcher matcher, ServiceStates states, TimeProvider time, ILogger<MatchingService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // A full batch means more may be waiting: go on without waiting for the next tick.
                while (await matcher.MatchPendingAsync(stoppingToken) == SeriesMatcher.BatchSize)
                {
                }

                states.Set("matching", ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("matching", ServiceState.FailedBecause("database unavailable"));
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Matching failed; retrying")]
    private partial void LogFailed(Exception exception);
}
