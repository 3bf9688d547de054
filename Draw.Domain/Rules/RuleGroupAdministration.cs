using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Rules;

/// <summary>A rule group as the editor (or `draw rules import`) submits it. Lists are in order.</summary>
public sealed record RuleGroupDraft
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required long TemplateId { get; init; }

    public int? Priority { get; init; }

    public bool Enabled { get; init; } = true;

    public IReadOnlyList<RuleSetDraft> RuleSets { get; init; } = [];

    /// <summary>An unsaved group (for the Test button, or to save).</summary>
    public RuleGroup ToEntity()
    {
        var group = new RuleGroup { Name = Name.Trim(), Description = Description, TemplateId = TemplateId, Priority = Priority, Enabled = Enabled };
        var setOrder = 0;
        foreach (var set in RuleSets)
        {
            var entity = new RuleSet { Name = set.Name?.Trim() ?? "", Description = set.Description, Order = ++setOrder, Join = setOrder == 1 ? RuleJoin.And : set.Join };
            var ruleOrder = 0;
            foreach (var rule in set.Rules)
            {
                // Stored in canonical form when the path parses; the compiler reports it otherwise.
                var path = TagPath.TryParse(rule.Tag, out var parsed, out _) ? parsed.Text : rule.Tag ?? "";
                entity.Rules.Add(new Rule
                {
                    TagPath = path,
                    Operator = rule.Operator,
                    Value = rule.Operator.TakesNoValue() ? "" : rule.Value?.Trim() ?? "",
                    Order = ++ruleOrder,
                    Join = ruleOrder == 1 ? RuleJoin.And : rule.Join,
                });
            }

            group.RuleSets.Add(entity);
        }

        return group;
    }
}

public sealed record RuleSetDraft(string Name, IReadOnlyList<RuleDraft> Rules, RuleJoin Join = RuleJoin.And, string? Description = null);

/// <summary>One rule: a tag (keyword, (gggg,eeee) or a path into sequences), an operator, a value, and how it joins the rule before it.</summary>
public sealed record RuleDraft(string Tag, RuleOperator Operator, string? Value = null, RuleJoin Join = RuleJoin.And);

/// <summary>Saves, loads, deletes and compiles rule groups.</summary>
public static class RuleGroupAdministration
{
    public static async Task<RuleGroup> SaveRuleGroupAsync(this DrawDbContext db, RuleGroupDraft draft, string? user, TimeProvider time, CancellationToken cancellationToken, long? id = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(time);
        var candidate = draft.ToEntity();
        var errors = RuleCompiler.Validate(candidate).ToList();
        if (candidate.Name.Length > 128)
        {
            errors.Add("name: is longer than 128 characters");
        }

        if (await db.RuleGroups.AnyAsync(g => g.Name == candidate.Name && g.Id != (id ?? 0), cancellationToken))
        {
            errors.Add($"name: a rule group named '{candidate.Name}' already exists");
        }

        if (!await db.Templates.AnyAsync(t => t.Id == draft.TemplateId, cancellationToken))
        {
            errors.Add($"template: template {draft.TemplateId} does not exist");
        }

        if (errors.Count > 0)
        {
            throw new RuleValidationException(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        RuleGroup group;
        if (id is null)
        {
            group = candidate;
            group.CreatedAt = now;
            db.RuleGroups.Add(group);
        }
        else
        {
            group = await db.RuleGroups.Include(g => g.RuleSets).ThenInclude(s => s.Rules).AsSplitQuery().FirstOrDefaultAsync(g => g.Id == id, cancellationToken)
                ?? throw new KeyNotFoundException($"rule group {id} does not exist");
            group.Name = candidate.Name;
            group.Description = candidate.Description;
            group.TemplateId = candidate.TemplateId;
            group.Priority = candidate.Priority;
            group.Enabled = candidate.Enabled;
            db.RuleSets.RemoveRange(group.RuleSets);
            group.RuleSets.Clear();
            group.RuleSets.AddRange(candidate.RuleSets);
        }

        group.UpdatedAt = now;
        group.UpdatedBy = user;
        await db.SaveChangesAsync(cancellationToken);
        db.Append(time, EventKinds.RuleGroupSaved, new { group = group.Id, name = group.Name, template = group.TemplateId, by = user });
        await db.SaveChangesAsync(cancellationToken);
        return group;
    }

    public static async Task DeleteRuleGroupAsync(this DrawDbContext db, long id, string? user, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var group = await db.RuleGroups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"rule group {id} does not exist");
        db.RuleGroups.Remove(group);
        db.Append(time, EventKinds.RuleGroupDeleted, new { group = id, name = group.Name, by = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static Task<RuleGroup?> LoadRuleGroupAsync(this DrawDbContext db, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Groups(db).FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
    }

    /// <summary>Every enabled group, compiled. A group that no longer compiles (e.g. after a dictionary change) is reported, not fatal.</summary>
    public static async Task<(IReadOnlyList<CompiledRuleGroup> Groups, IReadOnlyList<string> Errors)> CompileEnabledGroupsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var compiled = new List<CompiledRuleGroup>();
        var errors = new List<string>();
        foreach (var group in await Groups(db).Where(g => g.Enabled).OrderBy(g => g.Id).ToListAsync(cancellationToken))
        {
            try
            {
                compiled.Add(RuleCompiler.Compile(group));
            }
            catch (RuleValidationException ex)
            {
                errors.Add($"rule group '{group.Name}': {string.Join("; ", ex.Errors)}");
            }
        }

        return (compiled, errors);
    }

    private static IQueryable<RuleGroup> Groups(DrawDbContext db) =>
        db.RuleGroups.AsNoTracking()
            .Include(g => g.RuleSets.OrderBy(s => s.Order)).ThenInclude(s => s.Rules.OrderBy(r => r.Order))
            .AsSplitQuery();
}
