namespace Draw.Domain.Ingest;

/// <summary>A source folder a scan took, with its size and time, and where it was copied if it was.</summary>
public sealed class CopiedFolder
{
    public long Id { get; set; }

    public long DatastoreId { get; set; }

    public required string SourcePath { get; set; }

    public long SizeBytes { get; set; }

    public DateTime ModifiedAt { get; set; }

    public int FileCount { get; set; }

    public long RunId { get; set; }

    public string? TargetPath { get; set; }

    public DateTime? CopiedAt { get; set; }

    public DateTime RecordedAt { get; set; }
}
