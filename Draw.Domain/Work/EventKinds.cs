namespace Draw.Domain.Work;

/// <summary>The kinds of change-feed events, dotted as area.what.</summary>
public static class EventKinds
{
    public const string WorkerStarted = "worker.started";
    public const string WorkerStopped = "worker.stopped";
    public const string WorkerPong = "worker.pong";
    public const string CommandQueued = "command.queued";
    public const string CommandFailed = "command.failed";
    public const string UserCreated = "user.created";
    public const string UserChanged = "user.changed";
}
