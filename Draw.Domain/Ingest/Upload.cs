namespace Draw.Domain.Ingest;

/// <summary>A zip uploaded from the dashboard: kept, then extracted by a worker into its own folder.</summary>
public sealed class Upload
{
    public long Id { get; set; }

    public required string FileName { get; set; }

    /// <summary>Where the zip is kept (under the data root).</summary>
    public required string StoredPath { get; set; }

    public long SizeBytes { get; set; }

    public string? Sha256 { get; set; }

    public UploadStatus Status { get; set; }

    public string? Error { get; set; }

    public string? UploadedBy { get; set; }

    public DateTime UploadedAt { get; set; }

    public DateTime? ExtractedAt { get; set; }

    public string? TargetFolder { get; set; }

    public int FilesExtracted { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
}

public enum UploadStatus
{
    Uploaded,
    Extracting,
    Extracted,
    Failed,
}
