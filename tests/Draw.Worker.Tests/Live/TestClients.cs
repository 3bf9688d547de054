using Draw.Worker.Live.HubClient;

namespace Draw.Worker.Tests.Live;

internal static class TestClients
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static LiveHubClient Create(
        Uri hubUrl, TestLogger? logger = null, Action<LiveHubClientOptions>? configure = null, string? key = TestHubServer.Key)
    {
        var options = new LiveHubClientOptions
        {
            Url = hubUrl,
            ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)],
            ReconnectJitter = 0,
            HandshakeTimeout = TimeSpan.FromSeconds(5),
            CloseTimeout = TimeSpan.FromSeconds(2),
        };
        if (key is not null)
        {
            options.Headers[TestHubServer.KeyHeader] = key;
        }

        configure?.Invoke(options);
        return new LiveHubClient(options, logger);
    }

    /// <summary>A task completed by the next raise of an event, for awaiting with <see cref="Patience"/>.</summary>
    public static TaskCompletionSource<T> Signal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
