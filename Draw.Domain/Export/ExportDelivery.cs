namespace Draw.Domain.Export;

/// <summary>
/// The durable work item "send this file to this destination": claimed with a lease, retried with
/// the destination's backoff, parked as failed with its reason. Exactly once: one delivery per
/// (destination, SOPInstanceUID, sequence) — a unique index — and a new sequence only when a
/// person asks for a re-export.
/// </summary>
public sealed class ExportDelivery
{
    public long Id { get; set; }

    public long DestinationId { get; set; }

    public required string SopInstanceUid { get; set; }

    /// <summary>0 for the automatic delivery; each re-export a person asks for adds one.</summary>
    public int Sequence { get; set; }

    /// <summary>The file to send (a job's re-identified result, or a harvested file).</summary>
    public required string SourcePath { get; set; }

    public long? SeriesId { get; set; }

    public long? JobId { get; set; }

    public long? HarvestSourceId { get; set; }

    public DeliveryState State { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    /// <summary>Folder kinds: the file's full target path, chosen and committed before the copy so a repeat overwrites the same file.</summary>
    public string? TargetPath { get; set; }

    /// <summary>Where it went: the path, the node (AE@host:port) that took it, or the STOW URL.</summary>
    public string? DeliveredTo { get; set; }

    /// <summary>"pipeline", "harvest", or the person who asked for a re-export or a retry.</summary>
    public required string RequestedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }
}

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}
