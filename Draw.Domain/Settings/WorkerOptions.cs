namespace Draw.Domain.Settings;

/// <summary>The worker process itself.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Draw:Worker";

    /// <summary>Seconds between heartbeats.</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Loopback port of the worker's /health endpoint.</summary>
    public int HealthPort { get; set; } = 5081;

    /// <summary>Seconds between polls for queued work when no wake message arrives.</summary>
    public int PollSeconds { get; set; } = 3;
}
