namespace Draw.Domain.Ingest;

/// <summary>One DICOM association the listener served: who, how much, how long, how it ended.</summary>
public sealed class ListenerAssociation
{
    public long Id { get; set; }

    public required string CallingAe { get; set; }

    public required string CalledAe { get; set; }

    public required string RemoteAddress { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    public int InstancesStored { get; set; }

    public int InstancesFailed { get; set; }

    public long Bytes { get; set; }

    /// <summary>released, aborted, rejected: reason, failed: reason.</summary>
    public string? Result { get; set; }
}
