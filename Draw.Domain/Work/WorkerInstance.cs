namespace Draw.Domain.Work;

/// <summary>A running (or once running) worker process, kept alive by its heartbeat.</summary>
public sealed class WorkerInstance
{
    public required string Id { get; set; }

    public required string Host { get; set; }

    public required string Version { get; set; }

    public int ProcessId { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    /// <summary>Set on a graceful stop; a crashed worker simply stops beating and turns stale.</summary>
    public DateTime? StoppedAt { get; set; }

    /// <summary>JSON object: service name to its state ("running", "disabled", "failed: reason").</summary>
    public string Services { get; set; } = "{}";

    /// <summary>The data root as this worker resolves it, with its volume's free and total bytes (the web may run elsewhere).</summary>
    public string? DataRootPath { get; set; }

    public long? DataRootFreeBytes { get; set; }

    public long? DataRootTotalBytes { get; set; }

    /// <summary>JSON array of <see cref="BackendContact"/>: each backend's last successful and failed contact.</summary>
    public string Backends { get; set; } = "[]";

    /// <summary>JSON array of <see cref="SettingEntry"/>: the worker's effective configuration, secrets masked.</summary>
    public string Configuration { get; set; } = "[]";

    /// <summary>How long without a heartbeat before a worker counts as stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);

    public WorkerLiveness LivenessAt(DateTime now) =>
        StoppedAt is not null ? WorkerLiveness.Stopped
        : now - LastSeenAt > StaleAfter ? WorkerLiveness.Stale
        : WorkerLiveness.Live;
}

public enum WorkerLiveness
{
    Live,
    Stale,
    Stopped,
}
