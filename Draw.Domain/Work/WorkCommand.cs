namespace Draw.Domain.Work;

/// <summary>
/// A request from the dashboard or the CLI for a worker to do something (ping, send, retry,
/// cancel...). Claimed with a lease so that exactly one worker runs it, and kept with its outcome.
/// </summary>
public sealed class WorkCommand
{
    public long Id { get; set; }

    public required string Kind { get; set; }

    public string Payload { get; set; } = "{}";

    public string? RequestedBy { get; set; }

    public DateTime RequestedAt { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public int Attempts { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? Error { get; set; }

    /// <summary>What a command that reports something (a test) found, shown on the page that asked.</summary>
    public string? Result { get; set; }
}

public static class WorkCommandKinds
{
    /// <summary>Asks any worker to answer with a worker.pong event: proves the whole live path.</summary>
    public const string Ping = "diagnostics.ping";

    /// <summary>Scan one datastore now: payload {"datastoreId": N}.</summary>
    public const string ScanDatastore = "datastore.scan";

    /// <summary>Extract one upload now: payload {"uploadId": N}.</summary>
    public const string ExtractUpload = "upload.extract";

    /// <summary>Set a series' template and queue it: payload {"seriesId": N, "templateId": M}; the user is RequestedBy.</summary>
    public const string ChooseTemplate = "series.choose-template";

    /// <summary>Cancel a series: payload {"seriesId": N}.</summary>
    public const string CancelSeries = "series.cancel";

    /// <summary>Retry a series from the step that failed: payload {"seriesId": N}.</summary>
    public const string RetrySeries = "series.retry";

    /// <summary>Test one export destination (C-ECHO each node, folder writable, STOW reachable): payload {"destinationId": N}; the result goes to the command's Result and a destination.tested event.</summary>
    public const string TestDestination = "destination.test";

    /// <summary>Scan one harvest source now: payload {"harvestSourceId": N}.</summary>
    public const string HarvestNow = "harvest.scan";

    /// <summary>Check a datastore folder from the worker's side: payload {"path": "/data/x"}; the result says what the worker sees.</summary>
    public const string TestDatastore = "datastore.test";

    /// <summary>Check a backend's connection: payload {"backend": "draw-server"} (null: every backend).</summary>
    public const string TestBackend = "backend.test";

    /// <summary>Apply the datastore schedules now rather than at the next periodic sync: payload {}.</summary>
    public const string SyncSchedules = "schedules.sync";
}
