namespace Draw.Domain.Index;

/// <summary>An image series, indexed where its files are, with where it stands in processing.</summary>
public sealed class Series
{
    public long Id { get; set; }

    public long StudyId { get; set; }

    public Study? Study { get; set; }

    public required string SeriesInstanceUid { get; set; }

    public string? Modality { get; set; }

    public string? Description { get; set; }

    public string? ProtocolName { get; set; }

    public string? BodyPart { get; set; }

    public string? SeriesDate { get; set; }

    public string? SeriesNumber { get; set; }

    public string? FrameOfReferenceUid { get; set; }

    public int InstanceCount { get; set; }

    /// <summary>When the first and the latest instance arrived (datastore: the file's modification time).</summary>
    public DateTime FirstArrival { get; set; }

    public DateTime LastArrival { get; set; }

    public SeriesSource Source { get; set; }

    /// <summary>Which datastore, association or upload brought it (a row id of that source's table).</summary>
    public long? SourceId { get; set; }

    /// <summary>The folder of its first file: where write-back puts results.</summary>
    public string? RootPath { get; set; }

    /// <summary>No instance for this long means the series is complete.</summary>
    public int QuietPeriodSeconds { get; set; }

    public SeriesStatus Status { get; set; }

    public DateTime StatusChangedAt { get; set; }

    public DateTime? StableAt { get; set; }

    /// <summary>Instances that arrived after the series had moved on: recorded and shown, never merged.</summary>
    public int LateInstanceCount { get; set; }

    public int ConflictCount { get; set; }

    public List<Instance> Instances { get; } = [];
}

public enum SeriesSource
{
    Datastore,
    Listener,
    Upload,
}
