using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Templates;

/// <summary>A template as the editor (or `draw templates import`) submits it.</summary>
public sealed record TemplateDraft
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required string Backend { get; init; }

    public IReadOnlyList<StructureChoice> Structures { get; init; } = [];

    public IReadOnlyList<AdditionalStructureDraft> AdditionalStructures { get; init; } = [];
}

/// <summary>One selected catalogue structure; label, colour and type default to the TG-263 name, yellow and ORGAN.</summary>
public sealed record StructureChoice(int ModelId, int MapId, string? RoiLabel = null, string? Color = null, string? InterpretedType = null);

public sealed record AdditionalStructureDraft(string RoiLabel, string? Color = null, string? InterpretedType = null);

/// <summary>A template was refused; <see cref="Errors"/> lists every reason, each naming the field.</summary>
public sealed class TemplateValidationException(IReadOnlyList<string> errors)
    : Exception("The template is not valid: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Creates, updates and deletes templates, against the cached catalogue of their backend.</summary>
public static class TemplateAdministration
{
    public static async Task<Template> SaveTemplateAsync(this DrawDbContext db, TemplateDraft draft, string? user, TimeProvider time, CancellationToken cancellationToken, long? id = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new List<string>();
        var name = draft.Name?.Trim() ?? "";
        if (CheckName(name, errors) && await db.Templates.AnyAsync(t => t.Name == name && t.Id != (id ?? 0), cancellationToken))
        {
            errors.Add($"name: a template named '{name}' already exists");
        }

        var catalogue = await db.CachedCatalogueAsync(draft.Backend, cancellationToken);
        if (catalogue is null)
        {
            errors.Add($"backend: no cached catalogue for '{draft.Backend}'; refresh it first");
        }

        Template? template = null;
        if (id is not null)
        {
            template = await db.Templates.Include(t => t.Models).ThenInclude(m => m.Structures).Include(t => t.AdditionalStructures)
                .AsSplitQuery().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
                ?? throw new KeyNotFoundException($"template {id} does not exist");
        }

        var now = time.GetUtcNow().UtcDateTime;
        template ??= new Template { Name = name, Backend = draft.Backend, CreatedAt = now };
        var models = Build(draft, catalogue, template, errors);
        if (errors.Count > 0)
        {
            throw new TemplateValidationException(errors);
        }

        template.Name = name;
        template.Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        template.Backend = draft.Backend;
        template.UpdatedAt = now;
        template.UpdatedBy = user;
        db.TemplateModels.RemoveRange(template.Models);
        db.AdditionalStructures.RemoveRange(template.AdditionalStructures);
        template.Models.Clear();
        template.AdditionalStructures.Clear();
        template.Models.AddRange(models);
        template.AdditionalStructures.AddRange(BuildAdditional(draft));
        template.YamlSha512 = TemplateYaml.Sha512(template);
        if (template.Id == 0)
        {
            db.Templates.Add(template);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.Append(time, EventKinds.TemplateSaved, new { template = template.Id, name = template.Name, by = user, sha512 = template.YamlSha512 });
        await db.SaveChangesAsync(cancellationToken);
        return template;
    }

    public static async Task DeleteTemplateAsync(this DrawDbContext db, long id, string? user, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var template = await db.Templates.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"template {id} does not exist");
        var groups = await db.RuleGroups.Where(g => g.TemplateId == id).Select(g => g.Name).ToListAsync(cancellationToken);
        if (groups.Count > 0)
        {
            throw new TemplateValidationException([$"template '{template.Name}' is used by rule group(s) {string.Join(", ", groups.Select(g => $"'{g}'"))}"]);
        }

        if (await db.SeriesMatches.AnyAsync(m => m.TemplateId == id, cancellationToken))
        {
            throw new TemplateValidationException([$"template '{template.Name}' is assigned to series; it cannot be deleted"]);
        }

        db.Templates.Remove(template);
        db.Append(time, EventKinds.TemplateDeleted, new { template = id, name = template.Name, by = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A template with its models, structures and additional structures, or null.</summary>
    public static Task<Template?> LoadTemplateAsync(this DrawDbContext db, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Templates.AsNoTracking()
            .Include(t => t.Models).ThenInclude(m => m.Structures)
            .Include(t => t.AdditionalStructures)
            .AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    /// <summary>Checks the name's length; false when it is not acceptable (the message is added).</summary>
    internal static bool CheckName(string name, List<string> errors)
    {
        if (name.Length == 0)
        {
            errors.Add("name: is empty");
            return false;
        }

        if (name.Length > 128)
        {
            errors.Add("name: is longer than 128 characters");
            return false;
        }

        return true;
    }

    /// <summary>The additional structures as rows (already checked by <see cref="Build"/>).</summary>
    internal static IEnumerable<AdditionalStructure> BuildAdditional(TemplateDraft draft) =>
        draft.AdditionalStructures.Select(a => new AdditionalStructure
        {
            RoiLabel = a.RoiLabel?.Trim() ?? "",
            Color = Color(a.Color, "", []),
            InterpretedType = a.InterpretedType ?? RoiProperties.DefaultInterpretedType,
        });

    internal static List<TemplateModel> Build(TemplateDraft draft, CatalogueBackend? catalogue, Template template, List<string> errors)
    {
        var models = new Dictionary<int, TemplateModel>();
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (draft.Structures.Count == 0)
        {
            errors.Add("structures: select at least one structure");
        }

        foreach (var choice in draft.Structures)
        {
            var where = $"structure {choice.ModelId}/{choice.MapId}";
            var model = catalogue?.Models.FirstOrDefault(m => m.ModelId == choice.ModelId);
            var source = model?.Structures.FirstOrDefault(s => s.MapId == choice.MapId);
            var existing = template.Models.FirstOrDefault(m => m.ModelId == choice.ModelId)?.Structures.FirstOrDefault(s => s.MapId == choice.MapId);
            if (source is null && existing is null)
            {
                if (catalogue is not null)
                {
                    errors.Add($"{where}: the catalogue of '{draft.Backend}' has no model {choice.ModelId} with map id {choice.MapId}");
                }

                continue;
            }

            if (!models.TryGetValue(choice.ModelId, out var templateModel))
            {
                var kept = template.Models.FirstOrDefault(m => m.ModelId == choice.ModelId);
                templateModel = new TemplateModel
                {
                    ModelId = choice.ModelId,
                    Name = model?.Name ?? kept?.Name ?? "",
                    Config = model is not null ? model.Config : kept?.Config,
                    TrainerName = model is not null ? model.TrainerName : kept?.TrainerName,
                    Postprocess = model is not null ? model.Postprocess : kept?.Postprocess,
                };
                models[choice.ModelId] = templateModel;
            }

            if (templateModel.Structures.Any(s => s.MapId == choice.MapId))
            {
                errors.Add($"{where}: selected twice");
                continue;
            }

            var name = source?.Name ?? existing!.Name;
            var label = string.IsNullOrWhiteSpace(choice.RoiLabel) ? name : choice.RoiLabel.Trim();
            CheckLabel(label, where, labels, errors);
            templateModel.Structures.Add(new TemplateStructure
            {
                MapId = choice.MapId,
                Name = name,
                RoiLabel = label,
                Color = Color(choice.Color, where, errors),
                InterpretedType = Type(choice.InterpretedType, where, errors),
                MissingFromCatalogue = source is null,
            });
        }

        foreach (var additional in draft.AdditionalStructures)
        {
            var label = additional.RoiLabel?.Trim() ?? "";
            var where = $"additional structure '{label}'";
            CheckLabel(label, where, labels, errors);
            Color(additional.Color, where, errors);
            Type(additional.InterpretedType, where, errors);
        }

        return [.. models.Values.OrderBy(m => m.ModelId)];
    }

    private static void CheckLabel(string label, string where, Dictionary<string, string> labels, List<string> errors)
    {
        if (RoiProperties.CheckLabel(label) is { } problem)
        {
            errors.Add($"{where}: ROI label '{label}' {problem}");
        }
        else if (!labels.TryAdd(label, where))
        {
            errors.Add($"{where}: ROI label '{label}' is already used by {labels[label]} (labels are compared ignoring case)");
        }
    }

    private static string Color(string? color, string where, List<string> errors)
    {
        if (color is null)
        {
            return RoiProperties.DefaultColor;
        }

        if (RoiProperties.TryNormalizeColor(color, out var normalized))
        {
            return normalized;
        }

        if (where.Length > 0)
        {
            errors.Add($"{where}: colour '{color}' is not R\\G\\B (each 0-255) or #rrggbb");
        }

        return RoiProperties.DefaultColor;
    }

    private static string Type(string? type, string where, List<string> errors)
    {
        if (type is null)
        {
            return RoiProperties.DefaultInterpretedType;
        }

        if (!RoiProperties.IsInterpretedType(type))
        {
            errors.Add($"{where}: RT ROI Interpreted Type '{type}' is not a defined term ({string.Join(", ", RoiProperties.InterpretedTypes)})");
        }

        return type;
    }
}
