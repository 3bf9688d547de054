namespace Draw.Domain.Templates;

/// <summary>One backend whose catalogue is cached, with the time of its last refresh.</summary>
public sealed class CatalogueBackend
{
    public long Id { get; set; }

    /// <summary>The backend's name as configured (e.g. "draw" for the DRAW server, "local" for the local engine).</summary>
    public required string Name { get; set; }

    public DateTime RefreshedAt { get; set; }

    public int ModelCount { get; set; }

    public int StructureCount { get; set; }

    public List<CatalogueModel> Models { get; } = [];
}

/// <summary>A cached catalogue model; replaced as a whole on each refresh.</summary>
public sealed class CatalogueModel
{
    public long Id { get; set; }

    public long BackendId { get; set; }

    public CatalogueBackend? Backend { get; set; }

    public int ModelId { get; set; }

    public required string Name { get; set; }

    public string? Config { get; set; }

    public string? TrainerName { get; set; }

    public string? Postprocess { get; set; }

    public List<CatalogueStructure> Structures { get; } = [];
}

/// <summary>A cached catalogue structure (one label of a model).</summary>
public sealed class CatalogueStructure
{
    public long Id { get; set; }

    public long CatalogueModelId { get; set; }

    public CatalogueModel? Model { get; set; }

    public int MapId { get; set; }

    /// <summary>The server's own id of the structure (the "id" field), used for its model page link.</summary>
    public long? ServerId { get; set; }

    /// <summary>TG-263 primary name.</summary>
    public required string Name { get; set; }

    public string? Category { get; set; }

    public string? AnatomicGroup { get; set; }

    public string? Description { get; set; }

    public string? Modality { get; set; }

    public double? MedianDice { get; set; }

    /// <summary>Other fields the server sent, as a JSON object, or null.</summary>
    public string? Details { get; set; }
}
