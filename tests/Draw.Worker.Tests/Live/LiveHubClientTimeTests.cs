using Draw.Worker.Live.HubClient;
using Xunit.Abstractions;

namespace Draw.Worker.Tests.Live;

/// <summary>Keep-alive, server timeout and backoff driven by the client's <see cref="TimeProvider"/>, not by waiting.</summary>
public sealed class LiveHubClientTimeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pings_after_the_keep_alive_interval_and_drops_a_silent_server_after_the_timeout()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestHubServer.StartAsync();
        var pinged = TestClients.Signal<string>();
        server.Scripted.Script = async (socket, connection) =>
        {
            await ScriptedEndpoint.SendAsync(socket, "{}\u001e");
            if (connection == 1)
            {
                pinged.TrySetResult(await ScriptedEndpoint.ReceiveRecordAsync(socket));
            }

            await ScriptedEndpoint.WaitForClientToLeaveAsync(socket);
        };
        await using var client = TestClients.Create(server.ScriptedUrl, new TestLogger(output), key: null, configure: o =>
        {
            o.TimeProvider = time;
            o.KeepAliveInterval = TimeSpan.FromSeconds(15);
            o.ServerTimeout = TimeSpan.FromSeconds(30);
            o.ReconnectDelays = [TimeSpan.FromMinutes(1)];
        });
        var reconnecting = TestClients.Signal<Exception?>();
        client.Reconnecting += e => Task.FromResult(reconnecting.TrySetResult(e));
        await client.StartAsync();
        await WaitForTimerAsync(time, TimeSpan.FromSeconds(15));

        time.Advance(TimeSpan.FromSeconds(14));
        await Task.Delay(100);
        Assert.False(pinged.Task.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("""{"type":6}""", await pinged.Task.WaitAsync(TestClients.Patience));
        Assert.False(reconnecting.Task.IsCompleted);

        // The server never says anything: at 30 s of silence the connection is given up.
        await WaitForTimerAsync(time, TimeSpan.FromSeconds(15));
        time.Advance(TimeSpan.FromSeconds(15));
        var reason = await reconnecting.Task.WaitAsync(TestClients.Patience);
        Assert.Contains("server timeout", reason!.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Reconnecting, client.State);

        // The reconnect waits for its backoff delay on the same clock.
        await WaitForTimerAsync(time, TimeSpan.FromMinutes(1));
        await Task.Delay(100);
        Assert.Equal(HubConnectionState.Reconnecting, client.State);
        time.Advance(TimeSpan.FromMinutes(1));
        await LiveHubClientTests.WaitUntilAsync(() => client.State == HubConnectionState.Connected);
    }

    [Fact]
    public async Task Start_with_retry_waits_its_backoff_on_the_time_provider()
    {
        var time = new ManualTimeProvider();
        var port = TestHubServer.FindFreePort();
        var logger = new TestLogger(output);
        await using var client = TestClients.Create(new Uri($"http://127.0.0.1:{port}{TestHubServer.HubPath}"), logger, o =>
        {
            o.TimeProvider = time;
            o.ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMinutes(10)];
            o.ReconnectJitter = 0;
        });

        var starting = client.StartWithRetryAsync();
        await WaitForTimerAsync(time, TimeSpan.FromMinutes(10));
        await using var server = await TestHubServer.StartAsync(port);
        await Task.Delay(200);
        Assert.False(starting.IsCompleted); // the server is up, but the next attempt is 10 (virtual) minutes away
        Assert.Single(logger.Lines, l => l.Contains("Connecting to the hub failed", StringComparison.Ordinal));

        time.Advance(TimeSpan.FromMinutes(10));
        await starting.WaitAsync(TestClients.Patience);
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    private static async Task WaitForTimerAsync(ManualTimeProvider time, TimeSpan due) =>
        await LiveHubClientTests.WaitUntilAsync(() => time.PendingTimers.Contains(due));
}
