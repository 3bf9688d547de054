namespace Draw.Domain.Templates;

/// <summary>
/// What to contour: a selection of catalogue structures grouped by model, each with the ROI label,
/// colour and interpreted type the result carries, plus additional (empty) structures. A template
/// keeps its own copy of the model and structure names the YAML needs, so it survives a catalogue
/// refresh; structures that disappeared from the catalogue are flagged.
/// </summary>
public sealed class Template
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The backend whose catalogue the structures come from.</summary>
    public required string Backend { get; set; }

    /// <summary>SHA-512 (lower-case hex) of the template's autosegmentation_template.yml.</summary>
    public string YamlSha512 { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public List<TemplateModel> Models { get; } = [];

    public List<AdditionalStructure> AdditionalStructures { get; } = [];

    public IEnumerable<TemplateStructure> Structures => Models.SelectMany(m => m.Structures);
}

/// <summary>One backend model a template uses, with the fields the YAML carries.</summary>
public sealed class TemplateModel
{
    public long Id { get; set; }

    public long TemplateId { get; set; }

    public Template? Template { get; set; }

    public int ModelId { get; set; }

    public required string Name { get; set; }

    public string? Config { get; set; }

    public string? TrainerName { get; set; }

    public string? Postprocess { get; set; }

    public List<TemplateStructure> Structures { get; } = [];
}

/// <summary>A selected structure: the catalogue's (model, map id, TG-263 name) and how the result shows it.</summary>
public sealed class TemplateStructure
{
    public long Id { get; set; }

    public long TemplateModelId { get; set; }

    public TemplateModel? Model { get; set; }

    public int MapId { get; set; }

    /// <summary>The TG-263 name from the catalogue, as the backend labels the ROI.</summary>
    public required string Name { get; set; }

    /// <summary>The ROI Name in the result (at most 16 characters).</summary>
    public required string RoiLabel { get; set; }

    /// <summary>ROI Display Color as DICOM writes it: "R\G\B".</summary>
    public required string Color { get; set; }

    /// <summary>RT ROI Interpreted Type (a defined term).</summary>
    public required string InterpretedType { get; set; }

    /// <summary>Set by a catalogue refresh that no longer lists this (model, map id).</summary>
    public bool MissingFromCatalogue { get; set; }
}

/// <summary>An empty ROI added to every result of the template.</summary>
public sealed class AdditionalStructure
{
    public long Id { get; set; }

    public long TemplateId { get; set; }

    public required string RoiLabel { get; set; }

    public required string Color { get; set; }

    public required string InterpretedType { get; set; }
}
