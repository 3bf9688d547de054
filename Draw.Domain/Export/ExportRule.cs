namespace Draw.Domain.Export;

/// <summary>Sends results to a destination: every result (no template) or only those of one template.</summary>
public sealed class ExportRule
{
    public long Id { get; set; }

    public long DestinationId { get; set; }

    public ExportDestination? Destination { get; set; }

    /// <summary>Null: a global rule, for every template.</summary>
    public long? TemplateId { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public string? CreatedBy { get; set; }
}
