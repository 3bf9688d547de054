using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Rules;

/// <summary>One row of the rule groups list.</summary>
public sealed record RuleGroupSummary(
    long Id,
    string Name,
    string? Description,
    long TemplateId,
    string TemplateName,
    int? Priority,
    bool Enabled,
    int RuleSets,
    int Rules,
    string Expression,
    DateTime UpdatedAt,
    string? UpdatedBy);

/// <summary>A series a rule group decided.</summary>
public sealed record MatchedSeries(long SeriesId, string PatientId, string? Modality, string? Description, SeriesStatus Status, string? TemplateName, MatchOutcome Outcome, DateTime DecidedAt);

/// <summary>The rule groups list, enabling and disabling a group, and the series a group decided.</summary>
public static class RuleGroupSummaries
{
    public static async Task<IReadOnlyList<RuleGroupSummary>> ListRuleGroupsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var groups = await db.RuleGroups.AsNoTracking()
            .Include(g => g.Template)
            .Include(g => g.RuleSets).ThenInclude(s => s.Rules)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return
        [
            .. groups.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).Select(g =>
            {
                var sets = g.RuleSets.OrderBy(s => s.Order).ToList();
                return new RuleGroupSummary(
                    g.Id,
                    g.Name,
                    g.Description,
                    g.TemplateId,
                    g.Template?.Name ?? "",
                    g.Priority,
                    g.Enabled,
                    sets.Count,
                    sets.Sum(s => s.Rules.Count),
                    Precedence.Describe([.. sets.Select(s => $"[{s.Name}]")], [.. sets.Select((s, i) => i == 0 ? RuleJoin.And : s.Join)]),
                    g.UpdatedAt,
                    g.UpdatedBy);
            }),
        ];
    }

    /// <summary>Turns a group on or off (a disabled group is not evaluated); on the change feed with the user.</summary>
    public static async Task SetRuleGroupEnabledAsync(this DrawDbContext db, long id, bool enabled, string? user, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var group = await db.RuleGroups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"rule group {id} does not exist");
        if (group.Enabled == enabled)
        {
            return;
        }

        group.Enabled = enabled;
        group.UpdatedAt = time.GetUtcNow().UtcDateTime;
        group.UpdatedBy = user;
        db.Append(time, EventKinds.RuleGroupSaved, new { group = id, name = group.Name, template = group.TemplateId, enabled, by = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The latest series this group decided (newest first).</summary>
    public static async Task<IReadOnlyList<MatchedSeries>> SeriesMatchedByAsync(this DrawDbContext db, long groupId, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.SeriesMatches.AsNoTracking()
            .Where(m => m.RuleGroupId == groupId)
            .Join(db.Series, m => m.SeriesId, s => s.Id, (m, s) => new
            {
                s.Id,
                PatientId = s.Study!.Patient!.PatientId,
                s.Modality,
                s.Description,
                s.Status,
                Template = m.Template!.Name,
                m.Outcome,
                m.DecidedAt,
            })
            .OrderByDescending(r => r.DecidedAt).ThenByDescending(r => r.Id)
            .Take(take)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new MatchedSeries(r.Id, r.PatientId, r.Modality, r.Description, r.Status, r.Template, r.Outcome, r.DecidedAt))];
    }
}
