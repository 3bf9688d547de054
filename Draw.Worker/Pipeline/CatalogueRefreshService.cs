using Draw.Domain.Persistence;
using Draw.Domain.Templates;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Pipeline;

/// <summary>Keeps each backend's model catalogue cached in the database: at start-up, then hourly.</summary>
internal sealed partial class CatalogueRefreshService(
    IServiceProvider services,
    IDbContextFactory<DrawDbContext> contexts,
    ServiceStates states,
    TimeProvider time,
    ILogger<CatalogueRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            foreach (var backend in services.GetServices<Domain.Segmentation.ISegmentationBackend>())
            {
                try
                {
                    await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                    var source = new JsonCatalogueSource(backend.Name, backend.GetCatalogueJsonAsync);
                    var result = await db.RefreshAsync(source, time, stoppingToken);
                    states.Set($"catalogue:{backend.Name}", $"{result.Models} models, {result.Structures} structures");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    states.Set($"catalogue:{backend.Name}", ServiceStateText(ex));
                    LogFailed(backend.Name, ex.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static string ServiceStateText(Exception ex) => ServiceState.FailedBecause(ex.Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the catalogue of backend {Backend}: {Reason}")]
    private partial void LogFailed(string backend, string reason);
}
