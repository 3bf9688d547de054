using Draw.Domain.Templates;

namespace Draw.Web.Components.Pages.Templates;

/// <summary>The template editor's working copy; <see cref="ToDraft"/> is what saving and the preview see.</summary>
public sealed class TemplateForm
{
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public string Backend { get; set; } = "";

    public List<StructureRow> Structures { get; } = [];

    public List<AdditionalRow> Additional { get; } = [];

    public IReadOnlySet<StructureKey> SelectedKeys => Structures.Select(s => s.Key).ToHashSet();

    public static TemplateForm From(Template template, IReadOnlyList<CatalogueEntry> entries)
    {
        var form = new TemplateForm { Name = template.Name, Description = template.Description, Backend = template.Backend };
        foreach (var model in template.Models.OrderBy(m => m.ModelId))
        {
            foreach (var structure in model.Structures.OrderBy(s => s.MapId))
            {
                var entry = entries.FirstOrDefault(e => e.ModelId == model.ModelId && e.MapId == structure.MapId);
                form.Structures.Add(new StructureRow(model.ModelId, structure.MapId, structure.Name, model.Name, entry?.Category)
                {
                    Label = structure.RoiLabel,
                    Color = structure.Color,
                    Type = structure.InterpretedType,
                    Missing = structure.MissingFromCatalogue,
                });
            }
        }

        form.Additional.AddRange(template.AdditionalStructures.OrderBy(a => a.Id).Select(a => new AdditionalRow { Label = a.RoiLabel, Color = a.Color, Type = a.InterpretedType }));
        return form;
    }

    /// <summary>Adds the structure with the catalogue's defaults (TG-263 name, yellow, ORGAN), or removes it.</summary>
    public void Toggle(CatalogueEntry entry)
    {
        var existing = Structures.FindIndex(s => s.Key == entry.Key);
        if (existing >= 0)
        {
            Structures.RemoveAt(existing);
        }
        else
        {
            Structures.Add(new StructureRow(entry.ModelId, entry.MapId, entry.Name, entry.ModelName, entry.Category) { Label = entry.Name });
        }
    }

    public TemplateDraft ToDraft() => new()
    {
        Name = Name,
        Description = Description,
        Backend = Backend,
        Structures = [.. Structures.Select(s => new StructureChoice(s.ModelId, s.MapId, s.Label, s.Color, s.Type))],
        AdditionalStructures = [.. Additional.Select(a => new AdditionalStructureDraft(a.Label, a.Color, a.Type))],
    };
}

/// <summary>A selected structure as edited: the catalogue's identity, and the label, colour and type the result carries.</summary>
public sealed class StructureRow(int modelId, int mapId, string name, string modelName, string? category)
{
    public int ModelId { get; } = modelId;

    public int MapId { get; } = mapId;

    public string Name { get; } = name;

    public string ModelName { get; } = modelName;

    public string? Category { get; } = category;

    public StructureKey Key => new(ModelId, MapId);

    /// <summary>How the preview's messages name this structure.</summary>
    public string Where => $"structure {ModelId}/{MapId}";

    public string Label { get; set; } = "";

    public string Color { get; set; } = RoiProperties.DefaultColor;

    public string Type { get; set; } = RoiProperties.DefaultInterpretedType;

    public bool Missing { get; init; }
}

/// <summary>An additional (empty) structure as edited.</summary>
public sealed class AdditionalRow
{
    public Guid Key { get; } = Guid.NewGuid();

    public string Label { get; set; } = "";

    public string Color { get; set; } = RoiProperties.DefaultColor;

    public string Type { get; set; } = RoiProperties.DefaultInterpretedType;

    public string Where => $"additional structure '{Label.Trim()}'";
}
