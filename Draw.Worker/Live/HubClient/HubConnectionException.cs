using System.Net;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// The connection to the hub could not be established or was lost: negotiation refused, authentication failed,
/// handshake rejected, server unreachable, timeout, or the connection dropped while an invocation was pending.
/// </summary>
public sealed class HubConnectionException : Exception
{
    public HubConnectionException()
    {
    }

    public HubConnectionException(string message)
        : base(message)
    {
    }

    public HubConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public HubConnectionException(string message, Exception? innerException, HttpStatusCode? statusCode)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the negotiate or upgrade request, when the server answered with an error status.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True when the server answered 401 or 403: retrying with the same credentials cannot succeed.</summary>
    public bool IsAuthenticationFailure => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
