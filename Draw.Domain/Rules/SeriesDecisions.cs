using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Rules;

/// <summary>A manual action that the series' state does not allow; the message says why.</summary>
public sealed class SeriesDecisionException(string message) : Exception(message);

/// <summary>
/// What a person decides for a series: choose its template (and queue it), cancel it, retry it.
/// Each records the user and is an event on the change feed, in the caller's SaveChanges.
/// </summary>
public static class SeriesDecisions
{
    /// <summary>
    /// Sets the template and queues the series: status Rule Matched, reason "chosen by USER". Allowed
    /// in any status but Receiving (<see cref="SeriesActions.CanSend"/>); an exported series gets a new job.
    /// </summary>
    public static async Task<Series> ChooseTemplateAsync(this DrawDbContext db, TimeProvider time, long seriesId, long templateId, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var series = await LoadAsync(db, seriesId, cancellationToken);
        if (!series.Status.CanSend())
        {
            throw new SeriesDecisionException($"series {seriesId} is {series.Status.Display()}; a template can be chosen once it is complete");
        }

        var template = await db.Templates.AsNoTracking().Where(t => t.Id == templateId).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new SeriesDecisionException($"template {templateId} does not exist");
        var match = await db.SeriesMatches.FirstOrDefaultAsync(m => m.SeriesId == seriesId, cancellationToken);
        if (match is null)
        {
            match = new SeriesMatch { SeriesId = seriesId, DecidedBy = user };
            db.SeriesMatches.Add(match);
        }

        var reason = $"chosen by {user}";
        match.Outcome = MatchOutcome.Chosen;
        match.TemplateId = template.Id;
        match.RuleGroupId = null;
        match.DecidedBy = user;
        match.DecidedAt = time.GetUtcNow().UtcDateTime;
        match.Reason = $"{reason}: template '{template.Name}'";
        db.Append(time, EventKinds.SeriesTemplateChosen, new { template = template.Id, name = template.Name, by = user, from = series.Status.ToString() }, seriesId);
        db.ChangeStatus(time, series, SeriesStatus.RuleMatched, reason);
        return series;
    }

    /// <summary>Cancels a series: status Cancelled. Not once its result is exported, nor twice.</summary>
    public static async Task<Series> CancelSeriesAsync(this DrawDbContext db, TimeProvider time, long seriesId, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var series = await LoadAsync(db, seriesId, cancellationToken);
        if (!series.Status.CanCancel())
        {
            throw new SeriesDecisionException($"series {seriesId} is {series.Status.Display()}; it cannot be cancelled");
        }

        db.Append(time, EventKinds.SeriesCancelled, new { by = user, from = series.Status.ToString() }, seriesId);
        db.ChangeStatus(time, series, SeriesStatus.Cancelled, $"cancelled by {user}");
        return series;
    }

    /// <summary>
    /// Sends a series back to the step that failed. For now: from a failed status, Cancelled, Rule
    /// Not Matched or Multiple Rules Matched, to Rule Matched when a template is set, else to
    /// Unprocessed (the rules run again).
    /// </summary>
    public static async Task<Series> RetrySeriesAsync(this DrawDbContext db, TimeProvider time, long seriesId, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var series = await LoadAsync(db, seriesId, cancellationToken);
        if (!series.Status.CanRetry())
        {
            throw new SeriesDecisionException($"series {seriesId} is {series.Status.Display()}; only failed, cancelled or unmatched series can be retried");
        }

        var templateId = await db.SeriesMatches.Where(m => m.SeriesId == seriesId).Select(m => m.TemplateId).FirstOrDefaultAsync(cancellationToken);
        var to = templateId is null ? SeriesStatus.Unprocessed : SeriesStatus.RuleMatched;
        db.Append(time, EventKinds.SeriesRetried, new { by = user, from = series.Status.ToString(), to = to.ToString(), template = templateId }, seriesId);
        db.ChangeStatus(time, series, to, $"retried by {user}");
        return series;
    }

    private static async Task<Series> LoadAsync(DrawDbContext db, long seriesId, CancellationToken cancellationToken) =>
        await db.Series.FirstOrDefaultAsync(s => s.Id == seriesId, cancellationToken)
        ?? throw new SeriesDecisionException($"series {seriesId} does not exist");
}
