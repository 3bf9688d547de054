namespace Draw.Domain.Segmentation;

/// <summary>
/// One autosegmentation backend: the DRAW server API or the built-in local engine. The pipeline
/// drives every backend through these six calls; each call is safe to repeat (a retried download
/// overwrites the same file, a repeated confirmation is harmless).
/// </summary>
public interface ISegmentationBackend
{
    /// <summary>The backend's name in settings and on the board, e.g. "draw-server" or "local".</summary>
    string Name { get; }

    /// <summary>
    /// Whether submitting the same package twice makes one task. When not (the DRAW server API has
    /// no idempotency key), an upload cut off by a crash is not resent without a person deciding.
    /// </summary>
    bool IdempotentSubmit => false;

    /// <summary>The model catalogue in the DRAW server's GET /api/models/ JSON shape.</summary>
    Task<string> GetCatalogueJsonAsync(CancellationToken cancellationToken);

    /// <summary>Whether a submission would be accepted now (a busy server answers Busy, with a wait).</summary>
    Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Uploads a package (a flat zip of de-identified files plus autosegmentation_template.yml).</summary>
    Task<BackendSubmission> SubmitAsync(SubmissionPackage package, CancellationToken cancellationToken);

    Task<BackendTaskStatus> GetStatusAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Downloads the finished RTSTRUCT to <paramref name="destinationFile"/> (written to a temporary name, then renamed), checksum verified.</summary>
    Task<BackendDownload> DownloadAsync(string taskId, string destinationFile, CancellationToken cancellationToken);

    /// <summary>Tells the backend the result arrived, so it may clean up.</summary>
    Task ConfirmAsync(string taskId, CancellationToken cancellationToken);
}

/// <summary>What is submitted: the zip, its SHA-256 (lower-case hex), and the pseudonymous series it holds.</summary>
public sealed record SubmissionPackage(string ZipPath, string Sha256, string SeriesInstanceUid);

/// <summary>The backend's handle for a submission (the DRAW server's task id or transaction token).</summary>
public sealed record BackendSubmission(string TaskId);

public enum BackendHealthState
{
    Ready,
    Busy,
    Unavailable,
}

public sealed record BackendHealth(BackendHealthState State, string? Detail = null, TimeSpan? RetryAfter = null);

public enum BackendTaskState
{
    /// <summary>Queued or running on the backend.</summary>
    Pending,

    /// <summary>The RTSTRUCT can be downloaded.</summary>
    Ready,

    Failed,

    /// <summary>The backend does not know the task (the DRAW server answers 404).</summary>
    NotFound,
}

/// <summary>A status answer: our reading of it, and the backend's own words verbatim.</summary>
public sealed record BackendTaskStatus(BackendTaskState State, string? ServerStatus = null, string? Error = null);

public sealed record BackendDownload(string Path, string Sha256, long Bytes);

/// <summary>
/// A backend call that failed. <see cref="Transient"/> says whether the same call may succeed
/// later (timeouts, 5xx, 503 busy) or not (400, a wrong checksum, a refused token).
/// </summary>
public sealed class BackendException : Exception
{
    public BackendException(string message, bool transient, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Transient = transient;
        StatusCode = statusCode;
    }

    public BackendException()
    {
    }

    public BackendException(string message)
        : base(message)
    {
    }

    public BackendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool Transient { get; }

    public int? StatusCode { get; }
}
