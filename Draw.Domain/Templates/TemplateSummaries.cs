using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Templates;

/// <summary>One row of the templates list.</summary>
public sealed record TemplateSummary(
    long Id,
    string Name,
    string? Description,
    string Backend,
    IReadOnlyList<string> Models,
    int Structures,
    int AdditionalStructures,
    int MissingFromCatalogue,
    IReadOnlyList<string> RuleGroups,
    DateTime UpdatedAt,
    string? UpdatedBy);

/// <summary>The rows of the templates list and the rule groups that use a template.</summary>
public static class TemplateSummaries
{
    /// <summary>Every template by name, with its models, structure counts and the rule groups using it.</summary>
    public static async Task<IReadOnlyList<TemplateSummary>> ListTemplatesAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var templates = await db.Templates.AsNoTracking()
            .Include(t => t.Models).ThenInclude(m => m.Structures)
            .Include(t => t.AdditionalStructures)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var groups = (await db.RuleGroups.AsNoTracking().Select(g => new { g.TemplateId, g.Name }).ToListAsync(cancellationToken))
            .ToLookup(g => g.TemplateId, g => g.Name);
        return
        [
            .. templates.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Select(t => new TemplateSummary(
                t.Id,
                t.Name,
                t.Description,
                t.Backend,
                [.. t.Models.OrderBy(m => m.ModelId).Select(m => $"{m.ModelId} {m.Name}")],
                t.Structures.Count(),
                t.AdditionalStructures.Count,
                t.Structures.Count(s => s.MissingFromCatalogue),
                [.. groups[t.Id].Order(StringComparer.OrdinalIgnoreCase)],
                t.UpdatedAt,
                t.UpdatedBy)),
        ];
    }

    /// <summary>The names of the rule groups that use the template (deleting it is refused while any do).</summary>
    public static async Task<IReadOnlyList<string>> RuleGroupsUsingAsync(this DrawDbContext db, long templateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await db.RuleGroups.AsNoTracking().Where(g => g.TemplateId == templateId).Select(g => g.Name).ToListAsync(cancellationToken);
        return [.. names.Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The cached backends, by name (the editor's backend choice).</summary>
    public static async Task<IReadOnlyList<string>> CachedBackendsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await db.CatalogueBackends.AsNoTracking().Select(b => b.Name).ToListAsync(cancellationToken);
        return [.. names.Order(StringComparer.Ordinal)];
    }
}
