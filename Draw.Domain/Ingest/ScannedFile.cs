namespace Draw.Domain.Ingest;

/// <summary>
/// A datastore file a scan has taken a decision on. An unchanged file (same size and modification
/// time) is not read again; a changed one is.
/// </summary>
public sealed class ScannedFile
{
    public long Id { get; set; }

    public long DatastoreId { get; set; }

    public required string Path { get; set; }

    public required string Folder { get; set; }

    public long Size { get; set; }

    public DateTime ModifiedAt { get; set; }

    public ScanOutcome Outcome { get; set; }

    /// <summary>Why a file was not indexed, e.g. the parser's message for a corrupt file.</summary>
    public string? Reason { get; set; }

    public long RunId { get; set; }

    public DateTime DecidedAt { get; set; }
}

public enum ScanOutcome
{
    Indexed,
    NonDicom,
    Corrupt,
    OtherModality,
    Localizer,
    BeforeWindow,
    Duplicate,
    Conflict,
}
