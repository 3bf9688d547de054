using Draw.Domain.Persistence;

namespace Draw.Domain.Index;

/// <summary>
/// Runs the series page's query shapes once, so the first person to open the page does not pay EF
/// Core's query compilation and the database's cold caches (about a second on 100,000 series). Each
/// combination of filters present is its own compiled query, hence one run per common shape; the
/// values do not matter. The dashboard calls it after start-up.
/// </summary>
public static class SeriesQueryWarmup
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

    /// <summary>Runs every shape in its own context (as the page does); returns how many ran.</summary>
    public static async Task<int> WarmUpAsync(Func<CancellationToken, Task<DrawDbContext>> createContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createContext);
        foreach (var shape in Shapes)
        {
            await using var db = await createContext(cancellationToken);
            await db.PageAsync(shape, cancellationToken);
        }

        await using (var db = await createContext(cancellationToken))
        {
            await db.CountByStatusAsync(cancellationToken);
        }

        return Shapes.Length;
    }
}
