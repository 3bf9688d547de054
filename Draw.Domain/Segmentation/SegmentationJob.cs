namespace Draw.Domain.Segmentation;

/// <summary>
/// The durable record of one series' trip through a backend: the step it is at, what each step
/// produced (so a step that already ran is not run again), and the lease of the worker running it.
/// </summary>
public sealed class SegmentationJob
{
    public long Id { get; set; }

    public long SeriesId { get; set; }

    public long TemplateId { get; set; }

    public required string Backend { get; set; }

    public JobStep Step { get; set; }

    /// <summary>Where a failed or cancelled job stopped, so a retry resumes there.</summary>
    public JobStep? StoppedAt { get; set; }

    /// <summary>Attempts of the current step; reset when a step succeeds.</summary>
    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    /// <summary>"rules" or the user who queued it.</summary>
    public required string RequestedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>The instances the job took (arrivals after it started are late and not included).</summary>
    public int InstanceCount { get; set; }

    public string? PackagePath { get; set; }

    public string? PackageSha256 { get; set; }

    public string? PseudonymousSeriesUid { get; set; }

    public string? TaskId { get; set; }

    /// <summary>Set (and committed) just before an upload and cleared when it returns: still set after a crash means the upload was cut off.</summary>
    public DateTime? UploadStartedAt { get; set; }

    public DateTime? SubmittedAt { get; set; }

    /// <summary>The backend's last status, verbatim.</summary>
    public string? ServerStatus { get; set; }

    public DateTime? LastPolledAt { get; set; }

    public string? DownloadPath { get; set; }

    public string? DownloadSha256 { get; set; }

    public bool Confirmed { get; set; }

    /// <summary>The re-identified RTSTRUCT, ready for export.</summary>
    public string? ResultPath { get; set; }

    public string? ResultSopInstanceUid { get; set; }


    /// <summary>When the export step created the deliveries its rules ask for; cleared when the job is parked, so a person's retry plans again.</summary>
    public DateTime? ExportsPlannedAt { get; set; }

    public bool IsActive => Step is not (JobStep.Done or JobStep.Failed or JobStep.Cancelled);
}

/// <summary>The steps in order; Done, Failed and Cancelled end a job.</summary>
public enum JobStep
{
    Package,
    Submit,
    Poll,
    Download,

    /// <summary>Validates the returned structure set against the submission and re-identifies it; before Confirm, so a bad return is never confirmed.</summary>
    Reidentify,
    Confirm,
    Export,
    Done,
    Failed,
    Cancelled,
}
