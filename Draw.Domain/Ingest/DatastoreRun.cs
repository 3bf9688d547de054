namespace Draw.Domain.Ingest;

/// <summary>One scan of a datastore and what it found.</summary>
public sealed class DatastoreRun
{
    public long Id { get; set; }

    public long DatastoreId { get; set; }

    public required string Worker { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public DatastoreRunStatus Status { get; set; }

    public int FilesSeen { get; set; }

    public int FilesIndexed { get; set; }

    public int FilesAlreadyKnown { get; set; }

    public int FilesTooRecent { get; set; }

    public int FilesBeforeWindow { get; set; }

    public int NonDicom { get; set; }

    public int Corrupt { get; set; }

    public int OtherModality { get; set; }

    public int Localizers { get; set; }

    public int Duplicates { get; set; }

    public int Conflicts { get; set; }

    public int SeriesTouched { get; set; }

    public string? Error { get; set; }
}

public enum DatastoreRunStatus
{
    Running,
    Completed,
    Failed,

    /// <summary>A run whose worker died; the next run resumes from the checkpoint.</summary>
    Interrupted,
}
