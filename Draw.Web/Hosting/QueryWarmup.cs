using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Hosting;

/// <summary>
/// Runs the series page's query shapes once after start-up, so the first person to open the page does
/// not pay EF Core's query compilation and the database's cold caches (about a second on 100,000
/// series). Each filter combination is its own compiled query, hence one run per common shape.
/// Best effort: a failure is logged and changes nothing.
/// </summary>
internal sealed partial class QueryWarmup(IDbContextFactory<DrawDbContext> contexts, ILogger<QueryWarmup> logger) : BackgroundService
{
    private static readonly SeriesFilter[] Shapes =
    [
        new(),
        new() { Statuses = [SeriesStatus.RuleNotMatched] },
        new() { Modality = "CT" },
        new() { Statuses = [SeriesStatus.RuleNotMatched], Modality = "CT" },
        new() { StudyDateFrom = "19000101", StudyDateTo = "19000101" },
        new() { Search = "warm-up" },
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var shape in Shapes)
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                await db.PageAsync(shape, stoppingToken);
            }

            await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
            {
                await db.CountByStatusAsync(stoppingToken);
            }

            LogWarmed(Shapes.Length);
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
