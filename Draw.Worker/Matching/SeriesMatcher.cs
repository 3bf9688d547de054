using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Matching;

/// <summary>
/// Matches stable (Unprocessed) series against the enabled rule groups: reads the original header
/// of each series' first instance, decides (none, one, several), and records the decision with the
/// status change. Each series is claimed by a conditional update inside its transaction, so two
/// workers never decide the same series twice, and running again changes nothing.
/// </summary>
internal sealed partial class SeriesMatcher(
    IDbContextFactory<DrawDbContext> contexts,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<SeriesMatcher> logger)
{
    public const int BatchSize = 50;

    /// <summary>Matches up to <see cref="BatchSize"/> waiting series; returns how many this worker decided.</summary>
    public async Task<int> MatchPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.Series.AsNoTracking()
            .Where(s => s.Status == SeriesStatus.Unprocessed)
            .OrderBy(s => s.Id)
            .Select(s => s.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        var (groups, errors) = await db.CompileEnabledGroupsAsync(cancellationToken);
        foreach (var error in errors)
        {
            LogGroupInvalid(error);
        }

        var decided = 0;
        foreach (var seriesId in pending)
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["SeriesId"] = seriesId });
            var (header, problem) = await db.ReadFirstHeaderAsync(seriesId, cancellationToken);
            var decision = header is null
                ? new MatchDecision(MatchOutcome.NoMatch, null, [], $"not matched: {problem}")
                : SeriesMatching.Evaluate(groups, header);
            if (header is null)
            {
                LogUnreadable(problem ?? "");
            }

            if (await RecordAsync(db, seriesId, decision, cancellationToken))
            {
                decided++;
                LogDecided(decision.Outcome);
            }
        }

        return decided;
    }

    private async Task<bool> RecordAsync(DrawDbContext db, long seriesId, MatchDecision decision, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryClaimUnprocessedAsync(seriesId, time.GetUtcNow().UtcDateTime, cancellationToken))
        {
            // Another worker decided it, or a new instance reopened it.
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        var series = await db.Series.SingleAsync(s => s.Id == seriesId, cancellationToken);
        await db.RecordDecisionAsync(time, series, decision, cancellationToken);
        var events = db.ChangeTracker.Entries<EventRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        publisher.Publish([.. events.Select(LiveEvent.From)]);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Series matched: {Outcome}")]
    private partial void LogDecided(MatchOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series header unreadable, not matched: {Problem}")]
    private partial void LogUnreadable(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule group skipped: {Error}")]
    private partial void LogGroupInvalid(string error);
}
