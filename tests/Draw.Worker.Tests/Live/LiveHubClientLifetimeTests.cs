using System.Diagnostics;
using Draw.Worker.Live.HubClient;
using Xunit.Abstractions;

namespace Draw.Worker.Tests.Live;

public sealed class LiveHubClientLifetimeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Keep_alive_pings_hold_the_connection_beyond_the_hub_client_timeout()
    {
        // Real time is needed here: the hub's own timeout runs on the server's clock. The timeouts are eight
        // keep-alive intervals, so a test host stalled for a second or two under load still holds on.
        await using var server = await TestHubServer.StartAsync(configureHub: o =>
        {
            o.ClientTimeoutInterval = TimeSpan.FromSeconds(4);
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
        });
        await using var client = TestClients.Create(server.HubUrl, new TestLogger(output), o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
            o.ServerTimeout = TimeSpan.FromSeconds(4);
        });
        var lost = 0;
        client.Reconnecting += _ =>
        {
            Interlocked.Increment(ref lost);
            return Task.CompletedTask;
        };
        await client.StartAsync();
        var connectionId = client.ConnectionId;

        await Task.Delay(TimeSpan.FromSeconds(9));

        Assert.Equal(0, Volatile.Read(ref lost));
        Assert.Equal(HubConnectionState.Connected, client.State);
        Assert.Equal(connectionId, client.ConnectionId);
        Assert.Equal(0, server.Calls.Disconnected);
        Assert.Equal("alive", await client.InvokeAsync<string>("Echo", ["alive"]));
    }

    [Fact]
    public async Task A_silent_server_is_detected_by_the_server_timeout_and_the_client_reconnects()
    {
        // The hub pings only every 15 s (its default); the client expects traffic within 1 s.
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl, new TestLogger(output), o => o.ServerTimeout = TimeSpan.FromSeconds(1));
        var reconnecting = TestClients.Signal<Exception?>();
        var reconnected = TestClients.Signal<string?>();
        client.Reconnecting += e => Task.FromResult(reconnecting.TrySetResult(e));
        client.Reconnected += id => Task.FromResult(reconnected.TrySetResult(id));
        await client.StartAsync();
        var firstId = client.ConnectionId;

        var reason = await reconnecting.Task.WaitAsync(TestClients.Patience);
        Assert.IsType<HubConnectionException>(reason);
        Assert.Contains("server timeout", reason.Message, StringComparison.Ordinal);

        var newId = await reconnected.Task.WaitAsync(TestClients.Patience);
        Assert.NotEqual(firstId, newId);
        Assert.Equal("back", await client.InvokeAsync<string>("Echo", ["back"]));
    }

    [Fact]
    public async Task Reconnects_to_a_restarted_server_on_the_same_port_and_keeps_handlers()
    {
        var server = await TestHubServer.StartAsync();
        var port = server.Port;
        await using var client = TestClients.Create(server.HubUrl, new TestLogger(output));
        var reconnecting = TestClients.Signal<Exception?>();
        var reconnects = 0;
        var notified = TestClients.Signal<string>();
        client.Reconnecting += e => Task.FromResult(reconnecting.TrySetResult(e));
        client.Reconnected += _ =>
        {
            Interlocked.Increment(ref reconnects);
            return Task.CompletedTask;
        };
        client.On<string>("Notify", p => Task.FromResult(notified.TrySetResult(p)));
        await client.StartAsync();

        await server.DisposeAsync();
        Assert.IsType<HubConnectionException>(await reconnecting.Task.WaitAsync(TestClients.Patience));

        // While the old server shuts down gracefully it may still accept one more connection, so the client can
        // bounce once more; once it is gone, the client keeps trying with backoff.
        await Task.Delay(300);
        Assert.Equal(HubConnectionState.Reconnecting, client.State);
        await Assert.ThrowsAsync<HubConnectionException>(() => client.InvokeAsync<string>("Echo", ["too early"]));
        var reconnectsBeforeRestart = Volatile.Read(ref reconnects);

        await using var restarted = await TestHubServer.StartAsync(port);
        await LiveHubClientTests.WaitUntilAsync(() =>
            client.State == HubConnectionState.Connected && Volatile.Read(ref reconnects) > reconnectsBeforeRestart);

        Assert.Equal(1, restarted.Calls.Connected);
        Assert.Equal("again", await client.InvokeAsync<string>("Echo", ["again"]));
        await client.SendAsync("Broadcast", ["after restart"]);
        Assert.Equal("after restart", await notified.Task.WaitAsync(TestClients.Patience));
    }

    [Fact]
    public async Task Pending_invocations_fail_clearly_when_the_connection_drops()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl, new TestLogger(output), o => o.AutoReconnect = false);
        var closed = TestClients.Signal<Exception?>();
        client.Closed += e => Task.FromResult(closed.TrySetResult(e));
        await client.StartAsync();

        var hanging = client.InvokeAsync<int>("Hang", []);
        await LiveHubClientTests.WaitUntilAsync(() => server.Calls.Connected == 1);
        await Task.Delay(50);
        await server.DisposeAsync();

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => hanging.WaitAsync(TestClients.Patience));
        Assert.Contains("'Hang'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await closed.Task.WaitAsync(TestClients.Patience));
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task A_server_close_without_reconnect_permission_closes_the_client()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl, new TestLogger(output));
        var closed = TestClients.Signal<Exception?>();
        var reconnecting = 0;
        client.Closed += e => Task.FromResult(closed.TrySetResult(e));
        client.Reconnecting += _ =>
        {
            Interlocked.Increment(ref reconnecting);
            return Task.CompletedTask;
        };
        await client.StartAsync();

        // Context.Abort() on the hub sends Close without allowReconnect: the protocol says not to come back.
        await client.SendAsync("CloseMe", []);

        Assert.Null(await closed.Task.WaitAsync(TestClients.Patience));
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        Assert.Equal(0, Volatile.Read(ref reconnecting));

        // The application may start it again.
        await client.StartAsync();
        Assert.Equal("ok", await client.InvokeAsync<string>("Echo", ["ok"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_or_dispose_while_reconnecting_ends_cleanly(bool dispose)
    {
        var server = await TestHubServer.StartAsync();
        var client = TestClients.Create(server.HubUrl, new TestLogger(output), o =>
            o.ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(30)]);
        var reconnecting = TestClients.Signal<Exception?>();
        var closed = TestClients.Signal<Exception?>();
        client.Reconnecting += e => Task.FromResult(reconnecting.TrySetResult(e));
        client.Closed += e => Task.FromResult(closed.TrySetResult(e));
        await client.StartAsync();
        await server.DisposeAsync();
        await reconnecting.Task.WaitAsync(TestClients.Patience);
        await Task.Delay(100); // the first, immediate attempt fails; the client now waits 30 s

        var stopwatch = Stopwatch.StartNew();
        if (dispose)
        {
            await client.DisposeAsync();
        }
        else
        {
            await client.StopAsync().WaitAsync(TestClients.Patience);
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"Stopping took {stopwatch.Elapsed}.");
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        Assert.Null(await closed.Task.WaitAsync(TestClients.Patience));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Start_with_retry_waits_for_a_server_that_comes_up_later()
    {
        var port = TestHubServer.FindFreePort();
        await using var client = TestClients.Create(new Uri($"http://127.0.0.1:{port}{TestHubServer.HubPath}"), new TestLogger(output));

        var starting = client.StartWithRetryAsync();
        await Task.Delay(300);
        Assert.False(starting.IsCompleted);
        Assert.Equal(HubConnectionState.Connecting, client.State);

        await using var server = await TestHubServer.StartAsync(port);
        await starting.WaitAsync(TestClients.Patience);

        Assert.Equal(HubConnectionState.Connected, client.State);
        Assert.Equal("late", await client.InvokeAsync<string>("Echo", ["late"]));
    }

    [Fact]
    public async Task Start_with_retry_ends_on_cancellation_and_on_stop()
    {
        var url = new Uri($"http://127.0.0.1:{TestHubServer.FindFreePort()}{TestHubServer.HubPath}");
        await using var client = TestClients.Create(url);

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StartWithRetryAsync(cancel.Token));
        }

        Assert.Equal(HubConnectionState.Disconnected, client.State);

        var starting = client.StartWithRetryAsync();
        await Task.Delay(200);
        await client.StopAsync().WaitAsync(TestClients.Patience);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting.WaitAsync(TestClients.Patience));
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Callbacks_may_stop_or_restart_the_client()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl, new TestLogger(output));
        var restarted = TestClients.Signal<HubConnectionState>();
        var closedCount = 0;
        client.Closed += async _ =>
        {
            // The usual "start again when closed" pattern, from inside the callback.
            if (Interlocked.Increment(ref closedCount) == 1)
            {
                await client.StartAsync();
                restarted.TrySetResult(client.State);
            }
        };
        await client.StartAsync();

        await client.SendAsync("CloseMe", []);
        Assert.Equal(HubConnectionState.Connected, await restarted.Task.WaitAsync(TestClients.Patience));
        Assert.Equal("restarted", await client.InvokeAsync<string>("Echo", ["restarted"]));
    }

    [Fact]
    public async Task A_reconnecting_callback_may_stop_the_client()
    {
        await using var server = await TestHubServer.StartAsync();
        server.Scripted.Script = async (socket, _) =>
        {
            await ScriptedEndpoint.SendAsync(socket, "{}\u001e{\"type\":7,\"allowReconnect\":true}\u001e");
        };
        await using var client = TestClients.Create(server.ScriptedUrl, new TestLogger(output), key: null);
        var stoppedInCallback = TestClients.Signal<HubConnectionState>();
        client.Reconnecting += async _ =>
        {
            await client.StopAsync();
            stoppedInCallback.TrySetResult(client.State);
        };

        await client.StartAsync();

        Assert.Equal(HubConnectionState.Disconnected, await stoppedInCallback.Task.WaitAsync(TestClients.Patience));
    }
}
