using System.Text.Json;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Rules;

/// <summary>What the rules decided for one series.</summary>
public sealed record MatchDecision(MatchOutcome Outcome, RuleGroupResult? Winner, IReadOnlyList<RuleGroupResult> Matched, string Reason)
{
    public SeriesStatus Status => Outcome switch
    {
        MatchOutcome.Matched or MatchOutcome.Chosen => SeriesStatus.RuleMatched,
        MatchOutcome.MultipleMatched => SeriesStatus.MultipleRulesMatched,
        _ => SeriesStatus.RuleNotMatched,
    };
}

/// <summary>
/// Matching a stable series against the rule groups: evaluation on the original header of its
/// first instance, the decision (none, one, several; priorities break ties), and recording it.
/// </summary>
public static class SeriesMatching
{
    public const string DecidedByRules = "rules";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Evaluates every group on the header and decides.</summary>
    public static MatchDecision Evaluate(IReadOnlyList<CompiledRuleGroup> groups, DicomDataset header)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(header);
        var matched = new List<RuleGroupResult>();
        foreach (var group in groups)
        {
            // The fast path first; the full evaluation only for groups that match, to record why.
            if (group.IsMatch(header))
            {
                matched.Add(group.Evaluate(header));
            }
        }

        return Decide(matched);
    }

    /// <summary>
    /// None matched: not matched. One: matched. Several: when every one of them has a priority and
    /// one has the lowest number alone, it wins; otherwise a person picks.
    /// </summary>
    public static MatchDecision Decide(IReadOnlyList<RuleGroupResult> matched)
    {
        ArgumentNullException.ThrowIfNull(matched);
        switch (matched.Count)
        {
            case 0:
                return new MatchDecision(MatchOutcome.NoMatch, null, matched, "no rule group matched");
            case 1:
                return new MatchDecision(MatchOutcome.Matched, matched[0], matched, $"rule group '{matched[0].Name}' matched");
        }

        var names = string.Join(", ", matched.Select(m => $"'{m.Name}'"));
        if (matched.All(m => m.Priority is not null))
        {
            var best = matched.Min(m => m.Priority!.Value);
            var winners = matched.Where(m => m.Priority == best).ToList();
            if (winners.Count == 1)
            {
                return new MatchDecision(MatchOutcome.Matched, winners[0], matched, $"rule groups {names} matched; '{winners[0].Name}' has the highest priority ({best})");
            }
        }

        return new MatchDecision(MatchOutcome.MultipleMatched, null, matched, $"rule groups {names} matched; choose a template");
    }

    /// <summary>
    /// The instances to read the header from, first first: lowest Instance Number (numbered before
    /// unnumbered), then path. The caller reads the first that opens.
    /// </summary>
    public static Task<List<string>> FirstInstancePathsAsync(this DrawDbContext db, long seriesId, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.InstancePathsInOrder(seriesId, includeLate: true).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>The original header of the series' first readable instance, or null with the reason.</summary>
    public static async Task<(DicomDataset? Header, string? Problem)> ReadFirstHeaderAsync(this DrawDbContext db, long seriesId, CancellationToken cancellationToken)
    {
        var paths = await db.FirstInstancePathsAsync(seriesId, 3, cancellationToken);
        if (paths.Count == 0)
        {
            return (null, "the series has no instance");
        }

        string? problem = null;
        foreach (var path in paths)
        {
            try
            {
                return (DicomFile.OpenHeader(path).Dataset, null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomFormatException or InvalidDataException)
            {
                problem ??= $"the header of {Path.GetFileName(path)} could not be read ({ex.GetType().Name})";
            }
        }

        return (null, problem);
    }

    /// <summary>
    /// Claims a series still Unprocessed for matching, inside the caller's transaction: a
    /// conditional update that only one worker can win (PostgreSQL locks the row until commit; SQLite
    /// serialises writers).
    /// </summary>
    public static async Task<bool> TryClaimUnprocessedAsync(this DrawDbContext db, long seriesId, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Series
            .Where(s => s.Id == seriesId && s.Status == SeriesStatus.Unprocessed)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.StatusChangedAt, now), cancellationToken) == 1;
    }

    /// <summary>Sets the series' status from the decision (with the event) and records the match.</summary>
    public static async Task RecordDecisionAsync(this DrawDbContext db, TimeProvider time, Series series, MatchDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(decision);
        var match = await db.SeriesMatches.FirstOrDefaultAsync(m => m.SeriesId == series.Id, cancellationToken);
        if (match is null)
        {
            match = new SeriesMatch { SeriesId = series.Id, DecidedBy = DecidedByRules };
            db.SeriesMatches.Add(match);
        }

        match.Outcome = decision.Outcome;
        match.TemplateId = decision.Winner?.TemplateId;
        match.RuleGroupId = decision.Winner?.RuleGroupId;
        match.Matches = MatchesJson(decision.Matched);
        match.DecidedBy = DecidedByRules;
        match.DecidedAt = time.GetUtcNow().UtcDateTime;
        match.Reason = decision.Reason;
        db.ChangeStatus(time, series, decision.Status, decision.Reason);
        db.Append(time, EventKinds.SeriesMatched, new
        {
            outcome = decision.Outcome.ToString(),
            template = decision.Winner?.TemplateId,
            groups = decision.Matched.Select(m => m.RuleGroupId).ToArray(),
        }, series.Id);
    }

    public static string MatchesJson(IReadOnlyList<RuleGroupResult> matched) =>
        JsonSerializer.Serialize(
            matched.Select(g => new
            {
                group = g.RuleGroupId,
                name = g.Name,
                template = g.TemplateId,
                priority = g.Priority,
                ruleSets = g.RuleSets.Where(s => s.Matched).Select(s => new
                {
                    id = s.RuleSetId,
                    name = s.Name,
                    rules = s.Rules.Where(r => r.Matched).Select(r => r.Position).ToArray(),
                }).ToArray(),
            }).ToArray(),
            Json);
}
