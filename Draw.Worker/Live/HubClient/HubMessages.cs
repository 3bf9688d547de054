using System.Text.Json;

namespace Draw.Worker.Live.HubClient;

/// <summary>A message of the SignalR hub protocol, as received from the server.</summary>
internal abstract record HubMessage;

/// <summary>Type 1: the server invokes a client method. A non-null <see cref="InvocationId"/> expects a Completion.</summary>
internal sealed record InvocationMessage(string? InvocationId, string Target, JsonElement[] Arguments, int Size) : HubMessage;

/// <summary>Type 3: the result or error of one of our invocations.</summary>
internal sealed record CompletionMessage(string InvocationId, JsonElement? Result, string? Error) : HubMessage;

/// <summary>Type 6: keep-alive.</summary>
internal sealed record PingMessage : HubMessage
{
    public static readonly PingMessage Instance = new();
}

/// <summary>Type 7: the server closes the connection.</summary>
internal sealed record CloseMessage(string? Error, bool AllowReconnect) : HubMessage;

/// <summary>Any other type (StreamItem, StreamInvocation, CancelInvocation, Ack, Sequence, future types): not used by this client.</summary>
internal sealed record IgnoredMessage(int Type) : HubMessage;

/// <summary>How a hub session ended: the error (null for a clean close) and whether reconnecting is allowed.</summary>
internal sealed record SessionEnd(Exception? Error, bool AllowReconnect);
