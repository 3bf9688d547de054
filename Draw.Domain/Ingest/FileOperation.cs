namespace Draw.Domain.Ingest;

/// <summary>Every file operation DRAW performs, queryable by series: the audit trail of files.</summary>
public sealed class FileOperation
{
    public long Id { get; set; }

    public DateTime Time { get; set; }

    public FileOperationKind Kind { get; set; }

    public required string Source { get; set; }

    public string? Target { get; set; }

    /// <summary>"ok", or what went wrong.</summary>
    public required string Result { get; set; }

    public long? SeriesId { get; set; }
}

public enum FileOperationKind
{
    Indexed,
    Copied,
    Extracted,
    Received,
    Quarantined,
    Written,
    Exported,
}
