namespace Draw.Worker.Live.HubClient;

/// <summary>The lifecycle state of a <see cref="LiveHubClient"/>.</summary>
public enum HubConnectionState
{
    /// <summary>Not started, stopped, or closed for good.</summary>
    Disconnected = 0,

    /// <summary>The first connection is being established (<c>StartAsync</c>/<c>StartWithRetryAsync</c>).</summary>
    Connecting = 1,

    /// <summary>Connected; invocations can be sent.</summary>
    Connected = 2,

    /// <summary>The connection was lost and the client is re-establishing it with backoff.</summary>
    Reconnecting = 3,
}
