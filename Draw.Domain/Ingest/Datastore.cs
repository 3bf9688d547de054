namespace Draw.Domain.Ingest;

/// <summary>
/// A folder (local or a mounted share) that DRAW scans for new series, with its own schedule, quiet
/// period and filters. Files are indexed where they are and never modified.
/// </summary>
public sealed class Datastore
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Path { get; set; }

    public DatastoreKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The schedule is paused: no periodic scans, but Run now still scans.</summary>
    public bool Paused { get; set; }

    /// <summary>A Quartz cron expression; when empty, <see cref="IntervalSeconds"/> applies.</summary>
    public string? Cron { get; set; }

    public int IntervalSeconds { get; set; } = 180;

    /// <summary>A file counts once neither it nor its folder changed for this long.</summary>
    public int QuietPeriodSeconds { get; set; } = 600;

    /// <summary>Files modified before this are ignored (and, with the study-date filter, older studies).</summary>
    public DateTime? PullWindowStart { get; set; }

    public bool StudyDateFilter { get; set; }

    /// <summary>Comma-separated modalities to index.</summary>
    public string Modalities { get; set; } = "CT,MR,PT";

    public bool ExcludeLocalizers { get; set; } = true;

    /// <summary>Whole words that mark a localizer in SeriesDescription or ImageType, separated by '|'.</summary>
    public string LocalizerWords { get; set; } = "topogram|scout|scanogram|surview|localizer";

    public bool Recursive { get; set; } = true;

    /// <summary>Copy each new source folder into the work area and index the copy (for shares that may vanish).</summary>
    public bool CopyToWork { get; set; }

    /// <summary>The scan lease: one scan at a time per datastore, across every worker.</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>The last folder a scan finished, so an interrupted scan resumes after it.</summary>
    public string? Checkpoint { get; set; }

    public long? CheckpointRunId { get; set; }

    public DateTime? LastRunAt { get; set; }

    public string? LastRunResult { get; set; }

    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> ModalityList =>
        Modalities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public enum DatastoreKind
{
    /// <summary>A folder the site points DRAW at.</summary>
    Folder,

    /// <summary>Where zip uploads are extracted, one subfolder per upload.</summary>
    Uploads,
}
