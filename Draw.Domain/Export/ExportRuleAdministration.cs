using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export;

/// <summary>An export rule as lists show it.</summary>
public sealed record ExportRuleView(long Id, long DestinationId, string Destination, long? TemplateId, string Template, bool Enabled);

/// <summary>Export rules: which destinations receive results, globally or for one template.</summary>
public static class ExportRuleAdministration
{
    public static async Task<ExportRule> AddRuleAsync(this DrawDbContext db, TimeProvider time, long destinationId, long? templateId, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        if (!await db.ExportDestinations.AnyAsync(d => d.Id == destinationId, cancellationToken))
        {
            throw new InvalidDestinationException($"DestinationId: there is no destination {destinationId}.");
        }

        if (templateId is { } t && !await db.Templates.AnyAsync(x => x.Id == t, cancellationToken))
        {
            throw new InvalidDestinationException($"TemplateId: there is no template {t}.");
        }

        if (await db.ExportRules.AnyAsync(r => r.DestinationId == destinationId && r.TemplateId == templateId, cancellationToken))
        {
            throw new InvalidDestinationException("that rule exists already.");
        }

        var rule = new ExportRule { DestinationId = destinationId, TemplateId = templateId, CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = user };
        db.ExportRules.Add(rule);
        db.Append(time, EventKinds.ExportRuleSaved, new { destination = destinationId, template = templateId, by = user });
        await db.SaveChangesAsync(cancellationToken);
        return rule;
    }

    public static async Task SetRuleEnabledAsync(this DrawDbContext db, TimeProvider time, long ruleId, bool enabled, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rule = await db.ExportRules.FirstOrDefaultAsync(r => r.Id == ruleId, cancellationToken) ?? throw new InvalidDestinationException($"there is no export rule {ruleId}.");
        rule.Enabled = enabled;
        db.Append(time, EventKinds.ExportRuleSaved, new { rule = ruleId, enabled, by = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task DeleteRuleAsync(this DrawDbContext db, TimeProvider time, long ruleId, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rule = await db.ExportRules.FirstOrDefaultAsync(r => r.Id == ruleId, cancellationToken) ?? throw new InvalidDestinationException($"there is no export rule {ruleId}.");
        db.ExportRules.Remove(rule);
        db.Append(time, EventKinds.ExportRuleDeleted, new { rule = ruleId, by = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<ExportRuleView>> ListRulesAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rules = await db.ExportRules.AsNoTracking().Include(r => r.Destination).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var templates = await db.Templates.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        return [.. rules.Select(r => new ExportRuleView(r.Id, r.DestinationId, r.Destination!.Name, r.TemplateId,
            r.TemplateId is { } id ? templates.GetValueOrDefault(id, $"(template {id})") : "(every template)", r.Enabled))];
    }

    /// <summary>The enabled destinations that enabled rules send a template's results to (global rules included).</summary>
    public static async Task<List<ExportDestination>> DestinationsForTemplateAsync(this DrawDbContext db, long templateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = await db.ExportRules.AsNoTracking()
            .Where(r => r.Enabled && (r.TemplateId == null || r.TemplateId == templateId))
            .Select(r => r.DestinationId).Distinct().ToListAsync(cancellationToken);
        return await db.ExportDestinations.AsNoTracking().Where(d => d.Enabled && ids.Contains(d.Id)).OrderBy(d => d.Id).ToListAsync(cancellationToken);
    }
}
