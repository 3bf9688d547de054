namespace Draw.Domain.Index;

/// <summary>A SOP instance seen again with different content. The first file stays indexed.</summary>
public sealed class InstanceConflict
{
    public long Id { get; set; }

    public long SeriesId { get; set; }

    public required string SopInstanceUid { get; set; }

    public required string IndexedPath { get; set; }

    /// <summary>Where the other file is (for listener and upload input: its quarantine copy).</summary>
    public required string OtherPath { get; set; }

    public DateTime DetectedAt { get; set; }
}
