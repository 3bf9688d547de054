using System.Text.Json;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// Settings of a <see cref="LiveHubClient"/>. Bindable from configuration (e.g. section <c>Live:Hub</c>);
/// <see cref="SerializerOptions"/>, <see cref="TimeProvider"/> and <see cref="HttpMessageHandlerFactory"/> are set in code.
/// </summary>
public sealed class LiveHubClientOptions
{
    /// <summary>The delays used when <see cref="ReconnectDelays"/> is not set: 0, 1, 2, 5, 10, 30 s, then 30 s forever.</summary>
    public static IReadOnlyList<TimeSpan> DefaultReconnectDelays { get; } =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(30),
    ];

    /// <summary>The hub URL, http or https (e.g. <c>http://localhost:5000/hubs/live</c>); the WebSocket uses ws/wss.</summary>
    public Uri? Url { get; set; }

    /// <summary>Headers sent on the negotiate request and on the WebSocket upgrade (e.g. <c>X-Draw-Worker-Key</c>).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A Ping is sent when nothing was sent for this long. Keep it well below the hub's ClientTimeoutInterval.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The connection is considered lost when nothing was received for this long (the hub pings every 15 s by default).</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for establishing one connection: negotiate, WebSocket upgrade and protocol handshake together.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long <c>StopAsync</c> waits for the server to acknowledge the WebSocket close before aborting.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reconnect with backoff when the connection is lost. When false, a lost connection closes the client.</summary>
    public bool AutoReconnect { get; set; } = true;

    /// <summary>
    /// Delay before each reconnect attempt (attempt 1 uses the first entry); the last entry repeats.
    /// Null or empty means <see cref="DefaultReconnectDelays"/>. Also used by <c>StartWithRetryAsync</c>.
    /// </summary>
    public IReadOnlyList<TimeSpan>? ReconnectDelays { get; set; }

    /// <summary>Random spread applied to each non-zero delay, as a fraction (0.2 = ±20 %).</summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>Give up after this many failed attempts in a row; null (default) retries forever.</summary>
    public int? MaxReconnectAttempts { get; set; }

    /// <summary>Largest message accepted from the server, in bytes; a larger one drops the connection.</summary>
    public int MaximumReceiveMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>Serialization of arguments and results (camelCase web defaults).</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>The clock for keep-alive, timeouts and backoff.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Creates the HTTP handler used for negotiate and the WebSocket upgrade (e.g. to trust a private CA).
    /// Null: a default <see cref="SocketsHttpHandler"/>. The client disposes the handler.
    /// </summary>
    public Func<HttpMessageHandler>? HttpMessageHandlerFactory { get; set; }

    internal IReadOnlyList<TimeSpan> EffectiveReconnectDelays =>
        ReconnectDelays is { Count: > 0 } delays ? delays : DefaultReconnectDelays;

    internal void Validate()
    {
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(Url)} must be an absolute http or https URL of the hub.", nameof(Url));
        }

        RequirePositive(KeepAliveInterval, nameof(KeepAliveInterval));
        RequirePositive(ServerTimeout, nameof(ServerTimeout));
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        RequirePositive(CloseTimeout, nameof(CloseTimeout));
        if (ReconnectJitter is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(ReconnectJitter)} must be between 0 and 1.", nameof(ReconnectJitter));
        }

        if (MaxReconnectAttempts is < 1)
        {
            throw new ArgumentException($"{nameof(MaxReconnectAttempts)} must be at least 1 when set.", nameof(MaxReconnectAttempts));
        }

        if (MaximumReceiveMessageSize < 1024)
        {
            throw new ArgumentException($"{nameof(MaximumReceiveMessageSize)} must be at least 1024 bytes.", nameof(MaximumReceiveMessageSize));
        }

        if (EffectiveReconnectDelays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException($"{nameof(ReconnectDelays)} must not be negative.", nameof(ReconnectDelays));
        }

        ArgumentNullException.ThrowIfNull(SerializerOptions);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive.", name);
        }
    }
}
