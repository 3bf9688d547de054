using Draw.Worker.Health;

namespace Draw.Worker.Ingest.Uploads;

/// <summary>Thin shell: looks for uploads to extract every few seconds.</summary>
internal sealed partial class UploadExtractionService(UploadExtractor extractor, ServiceStates states, TimeProvider time, ILogger<UploadExtractionService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Poll, time);
        do
        {
            try
            {
                await extractor.ExtractPendingAsync(null, stoppingToken);
                states.Set("uploads", ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("uploads", ServiceState.FailedBecause(ex.Message));
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Upload extraction failed; retrying")]
    private partial void LogFailed(Exception exception);
}
