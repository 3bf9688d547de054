namespace Draw.Worker.Live.HubClient;

/// <summary>The hub method ran and failed: the server answered the invocation with a Completion carrying an error.</summary>
public sealed class HubInvocationException : Exception
{
    public HubInvocationException()
    {
    }

    public HubInvocationException(string message)
        : base(message)
    {
    }

    public HubInvocationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public HubInvocationException(string methodName, string serverError)
        : base(serverError)
    {
        MethodName = methodName;
        ServerError = serverError;
    }

    /// <summary>The hub method that was invoked.</summary>
    public string? MethodName { get; }

    /// <summary>The error text exactly as the server sent it.</summary>
    public string? ServerError { get; }
}
