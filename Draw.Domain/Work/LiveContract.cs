namespace Draw.Domain.Work;

/// <summary>An event as it travels over the live hub: the change-feed row, already committed.</summary>
public sealed record LiveEvent(long Id, DateTime Time, string Kind, long? SeriesId, string Payload)
{
    public static LiveEvent From(EventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LiveEvent(record.Id, record.Time, record.Kind, record.SeriesId, record.Payload);
    }
}

/// <summary>The contract of the hub at /hubs/live, shared by Draw.Web (server) and Draw.Worker (client).</summary>
public static class LiveHubContract
{
    public const string Path = "/hubs/live";

    /// <summary>The header a worker presents its shared key in.</summary>
    public const string WorkerKeyHeader = "X-Draw-Worker-Key";

    /// <summary>Worker to hub: committed events (LiveEvent[]).</summary>
    public const string Publish = "Publish";

    /// <summary>Hub to workers: work was queued; look now rather than at the next poll (reason).</summary>
    public const string Wake = "Wake";

    /// <summary>Hub to browser clients: one event.</summary>
    public const string Event = "Event";

    public const string WorkersGroup = "workers";
    public const string BrowsersGroup = "browsers";
}

/// <summary>Where committed events go next: to the hub (worker) or straight to the circuits (web).</summary>
public interface IEventPublisher
{
    void Publish(IReadOnlyList<LiveEvent> events);
}
