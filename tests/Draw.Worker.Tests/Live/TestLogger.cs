using Xunit.Abstractions;
using System.Collections.Concurrent;
using Draw.Worker.Live.HubClient;
using Microsoft.Extensions.Logging;

namespace Draw.Worker.Tests.Live;

/// <summary>Keeps every formatted log line (with exception messages) for assertions, and echoes to the test output.</summary>
public sealed class TestLogger(ITestOutputHelper? output = null) : ILogger<LiveHubClient>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{logLevel} {eventId.Id}: {formatter(state, exception)}{(exception is null ? string.Empty : " | " + exception.Message)}";
        Lines.Enqueue(line);
        try
        {
            output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished.
        }
    }
}
