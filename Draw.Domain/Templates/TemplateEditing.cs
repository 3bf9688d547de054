namespace Draw.Domain.Templates;

/// <summary>What the editor shows while a template is edited: the template as it would be saved, its YAML, and every problem.</summary>
public sealed record TemplatePreview(Template Template, string Yaml, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>The template editor's helpers: a saved template as a draft, and a live preview of a draft.</summary>
public static class TemplateEditing
{
    /// <summary>The draft that saves this template unchanged: structures by model id then map id.</summary>
    public static TemplateDraft ToDraft(this Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new TemplateDraft
        {
            Name = template.Name,
            Description = template.Description,
            Backend = template.Backend,
            Structures =
            [
                .. template.Models.OrderBy(m => m.ModelId).SelectMany(m => m.Structures.OrderBy(s => s.MapId)
                    .Select(s => new StructureChoice(m.ModelId, s.MapId, s.RoiLabel, s.Color, s.InterpretedType))),
            ],
            AdditionalStructures = [.. template.AdditionalStructures.OrderBy(a => a.Id).Select(a => new AdditionalStructureDraft(a.RoiLabel, a.Color, a.InterpretedType))],
        };
    }

    /// <summary>
    /// Checks the draft as saving would (except the name's uniqueness, which needs the database)
    /// against the cached catalogue, and builds the YAML it would send. <paramref name="saved"/> is
    /// the template being edited, whose structures stay valid when the catalogue no longer lists them.
    /// </summary>
    public static TemplatePreview Preview(TemplateDraft draft, CatalogueBackend? catalogue, Template? saved = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<string>();
        var name = draft.Name?.Trim() ?? "";
        TemplateAdministration.CheckName(name, errors);
        if (catalogue is null)
        {
            errors.Add($"backend: no cached catalogue for '{draft.Backend}'; refresh it first");
        }

        var template = new Template { Name = name, Description = draft.Description, Backend = draft.Backend };
        template.Models.AddRange(TemplateAdministration.Build(draft, catalogue, saved ?? template, errors));
        template.AdditionalStructures.AddRange(TemplateAdministration.BuildAdditional(draft));
        template.YamlSha512 = TemplateYaml.Sha512(template);
        return new TemplatePreview(template, TemplateYaml.Write(template), errors);
    }
}
