namespace Draw.Domain.Export;

/// <summary>
/// The export ledger (DRAW RTSST's FileTransfer, generalised): one row per delivery, written in the
/// same commit as the delivery's outcome, kept when a destination is removed (its name is copied).
/// </summary>
public sealed class ExportLedgerEntry
{
    public long Id { get; set; }

    public long DeliveryId { get; set; }

    public long DestinationId { get; set; }

    public required string DestinationName { get; set; }

    public DestinationKind DestinationKind { get; set; }

    public required string SopInstanceUid { get; set; }

    public int Sequence { get; set; }

    public string? PatientId { get; set; }

    public string? PatientName { get; set; }

    /// <summary>StudyDate (DA) as found in the file.</summary>
    public string? StudyDate { get; set; }

    /// <summary>StudyTime (TM) as found in the file, fractional seconds included.</summary>
    public string? StudyTime { get; set; }

    /// <summary>StudyDate and StudyTime together, when they parse.</summary>
    public DateTime? StudyDateTime { get; set; }

    public string? Modality { get; set; }

    public required string SourcePath { get; set; }

    /// <summary>The file name written (folder kinds), or the file's SOP instance for network kinds.</summary>
    public string? FileName { get; set; }

    /// <summary>The full path written, the node that took it, or the STOW URL.</summary>
    public string? Target { get; set; }

    public DateTime ExportedAt { get; set; }

    public LedgerResult Result { get; set; }

    public string? Error { get; set; }

    public int Attempts { get; set; }

    public long? SeriesId { get; set; }

    public long? JobId { get; set; }

    public long? HarvestSourceId { get; set; }

    public required string RequestedBy { get; set; }
}

public enum LedgerResult
{
    Delivered,
    Failed,
}
