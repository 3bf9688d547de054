using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Hosting;

/// <summary>Warms the series page's queries after start-up (<see cref="SeriesQueryWarmup"/>). Best effort: a failure is logged and changes nothing.</summary>
internal sealed partial class QueryWarmup(IDbContextFactory<DrawDbContext> contexts, ILogger<QueryWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            LogWarmed(await SeriesQueryWarmup.WarmUpAsync(contexts.CreateDbContextAsync, stoppingToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Series page queries warmed ({Shapes} shapes)")]
    private partial void LogWarmed(int shapes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming the series page queries failed (the first page load will be slower): {Error}")]
    private partial void LogFailed(string error);
}
