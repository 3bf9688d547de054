using Microsoft.Extensions.Logging;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// Log messages of the hub client. Payloads may contain patient data: only method names, ids and sizes are logged,
/// never arguments or results.
/// </summary>
internal static partial class HubClientLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Debug, Message = "Negotiating with the hub at {Url}")]
    public static partial void Negotiating(ILogger logger, string url);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Negotiation redirected to {Url}")]
    public static partial void NegotiateRedirected(ILogger logger, string url);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Connected to the hub at {Url} (connection {ConnectionId})")]
    public static partial void Connected(ILogger logger, string url, string? connectionId);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Connecting to the hub failed (attempt {Attempt}: {Reason}); next attempt in {Delay}")]
    public static partial void ConnectAttemptFailed(ILogger logger, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "The connection to the hub was lost; reconnecting")]
    public static partial void ConnectionLost(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Reconnected to the hub (connection {ConnectionId}) after {Attempts} attempt(s)")]
    public static partial void Reconnected(ILogger logger, string? connectionId, int attempts);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "The hub connection is closed")]
    public static partial void Closed(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Error, Message = "The hub rejected the worker's credentials; not retrying")]
    public static partial void AuthenticationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Debug, Message = "Stopping the hub connection")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Debug, Message = "Sent invocation of {Method} ({Bytes} bytes, id {InvocationId})")]
    public static partial void SentInvocation(ILogger logger, string method, int bytes, string? invocationId);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "Received invocation of {Method} ({Arguments} argument(s), {Bytes} bytes)")]
    public static partial void ReceivedInvocation(ILogger logger, string method, int arguments, int bytes);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "No handler is registered for the hub method {Method}; ignored")]
    public static partial void NoHandler(ILogger logger, string method);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Error, Message = "A handler for the hub method {Method} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Debug, Message = "Received completion of invocation {InvocationId} (error: {HasError})")]
    public static partial void ReceivedCompletion(ILogger logger, string invocationId, bool hasError);

    [LoggerMessage(EventId = 5115, Level = LogLevel.Debug, Message = "Ignored a completion for unknown invocation {InvocationId}")]
    public static partial void UnknownCompletion(ILogger logger, string invocationId);

    [LoggerMessage(EventId = 5116, Level = LogLevel.Debug, Message = "Ignored a hub message of type {Type}")]
    public static partial void IgnoredMessage(ILogger logger, int type);

    [LoggerMessage(EventId = 5117, Level = LogLevel.Information, Message = "The hub closed the connection (error: {Error}, reconnect allowed: {AllowReconnect})")]
    public static partial void ServerClosed(ILogger logger, string? error, bool allowReconnect);

    [LoggerMessage(EventId = 5118, Level = LogLevel.Trace, Message = "Sent keep-alive ping")]
    public static partial void PingSent(ILogger logger);

    [LoggerMessage(EventId = 5119, Level = LogLevel.Warning, Message = "Nothing received from the hub for {Elapsed}; the connection is considered lost")]
    public static partial void ServerTimedOut(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(EventId = 5120, Level = LogLevel.Error, Message = "A {Event} callback failed")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 5121, Level = LogLevel.Debug, Message = "The hub connection did not close gracefully")]
    public static partial void CloseNotGraceful(ILogger logger, Exception exception);
}
