using Xunit.Abstractions;
using System.Net;
using System.Text.Json;
using Draw.Worker.Live.HubClient;

namespace Draw.Worker.Tests.Live;

public sealed class LiveHubClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Connects_and_round_trips_strings_numbers_and_objects()
    {
        await using var server = await TestHubServer.StartAsync();
        var logger = new TestLogger(output);
        await using var client = TestClients.Create(server.HubUrl, logger);

        Assert.Equal(HubConnectionState.Disconnected, client.State);
        await client.StartAsync();
        Assert.Equal(HubConnectionState.Connected, client.State);
        Assert.False(string.IsNullOrEmpty(client.ConnectionId));

        Assert.Equal("héllo ✓ patient-secret-marker", await client.InvokeAsync<string>("Echo", ["héllo ✓ patient-secret-marker"]));
        Assert.Equal(42, await client.InvokeAsync<int>("Add", [40, 2]));

        var at = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(1));
        var echoed = await client.InvokeAsync<TestPayload>("EchoObject", [new TestPayload("CT chest", 1, ["a", "b"], at)]);
        Assert.NotNull(echoed);
        Assert.Equal(("CT chest", 2, at), (echoed.Name, echoed.Count, echoed.At));
        Assert.Equal(["a", "b"], echoed.Tags);

        var raw = await client.InvokeAsync<JsonElement>("EchoObject", [new TestPayload("x", 0, [], at)]);
        Assert.Equal(1, raw.GetProperty("count").GetInt32()); // camelCase on the wire

        await client.InvokeAsync("Nothing", []);
        Assert.Equal(0, await client.InvokeAsync<int>("Length", [string.Empty]));

        // Payloads never reach the logs; method names do.
        Assert.DoesNotContain(logger.Lines, l => l.Contains("patient-secret-marker", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("Echo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_errors_surface_as_HubInvocationException_with_the_message()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl);
        await client.StartAsync();

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => client.InvokeAsync<int>("Fail", ["Model not found"]));
        Assert.Contains("Model not found", error.Message, StringComparison.Ordinal);
        Assert.Equal("Fail", error.MethodName);

        // Unexpected server exceptions are hidden by the hub (detailed errors off), but still fail the call.
        var crash = await Assert.ThrowsAsync<HubInvocationException>(() => client.InvokeAsync("Crash", []));
        Assert.DoesNotContain("secret internal detail", crash.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<HubInvocationException>(() => client.InvokeAsync("NoSuchMethod", []));
        Assert.Contains("NoSuchMethod", unknown.Message, StringComparison.Ordinal);

        // The connection stays usable.
        Assert.Equal("still here", await client.InvokeAsync<string>("Echo", ["still here"]));
    }

    [Fact]
    public async Task Server_invocations_reach_typed_handlers_and_disposed_registrations_stop()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl);
        var first = new List<(string, int)>();
        var second = new List<(string, int)>();
        var raw = new List<JsonElement[]>();
        var objects = TestClients.Signal<TestPayload>();
        using var firstRegistration = client.On<string, int>("Callback", (text, number) =>
        {
            lock (first)
            {
                first.Add((text, number));
            }

            return Task.CompletedTask;
        });
        var secondRegistration = client.On<string, int>("callback", (text, number) =>
        {
            lock (second)
            {
                second.Add((text, number));
            }

            return Task.CompletedTask;
        });
        using var rawRegistration = client.On("Callback", args =>
        {
            lock (raw)
            {
                raw.Add(args);
            }

            return Task.CompletedTask;
        });
        using var objectRegistration = client.On<TestPayload>("Object", payload =>
        {
            objects.TrySetResult(payload);
            return Task.CompletedTask;
        });
        await client.StartAsync();

        await client.InvokeAsync("CallMeBack", ["one", 1]);
        await WaitUntilAsync(() => Count(raw) == 1);
        secondRegistration.Dispose();
        await client.SendAsync("CallMeBack", ["two", 2]);
        await WaitUntilAsync(() => Count(raw) == 2);

        Assert.Equal([("one", 1), ("two", 2)], first);
        Assert.Equal([("one", 1)], second);
        Assert.Equal(2, raw[1].Length);
        Assert.Equal("two", raw[1][0].GetString());

        var at = DateTimeOffset.UnixEpoch;
        await client.SendAsync("SendObject", [new TestPayload("RTSTRUCT", 7, ["GTV"], at)]);
        var received = await objects.Task.WaitAsync(TestClients.Patience);
        Assert.Equal(("RTSTRUCT", 7, "GTV"), (received.Name, received.Count, received.Tags.Single()));
    }

    [Fact]
    public async Task Broadcasts_reach_every_connected_client()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var a = TestClients.Create(server.HubUrl);
        await using var b = TestClients.Create(server.HubUrl);
        var gotA = TestClients.Signal<string>();
        var gotB = TestClients.Signal<string>();
        a.On<string>("Notify", p => Task.FromResult(gotA.TrySetResult(p)));
        b.On<string>("Notify", p => Task.FromResult(gotB.TrySetResult(p)));
        await a.StartAsync();
        await b.StartAsync();

        await a.SendAsync("Broadcast", ["job 17 done"]);

        Assert.Equal("job 17 done", await gotA.Task.WaitAsync(TestClients.Patience));
        Assert.Equal("job 17 done", await gotB.Task.WaitAsync(TestClients.Patience));
    }

    [Fact]
    public async Task A_slow_handler_does_not_block_results_or_pings()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl);
        var release = TestClients.Signal<bool>();
        var handled = TestClients.Signal<bool>();
        client.On<string>("Notify", async _ =>
        {
            await release.Task;
            handled.TrySetResult(true);
        });
        await client.StartAsync();

        await client.SendAsync("Broadcast", ["wake"]);
        Assert.Equal("answer", await client.InvokeAsync<string>("Echo", ["answer"]).WaitAsync(TestClients.Patience));
        Assert.False(handled.Task.IsCompleted);

        release.SetResult(true);
        await handled.Task.WaitAsync(TestClients.Patience);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task A_missing_or_wrong_key_fails_start_with_401(string? key)
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl, key: key);

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.True(error.IsAuthenticationFailure);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Disconnected, client.State);

        // StartWithRetryAsync does not retry a credentials problem forever either.
        var again = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartWithRetryAsync().WaitAsync(TestClients.Patience));
        Assert.True(again.IsAuthenticationFailure);
    }

    [Fact]
    public async Task Negotiate_error_answers_and_missing_websockets_fail_clearly()
    {
        await using var server = await TestHubServer.StartAsync();

        await using var refused = TestClients.Create(new Uri(server.BaseUrl, "/refusing"));
        var error = await Assert.ThrowsAsync<HubConnectionException>(() => refused.StartAsync());
        Assert.Contains("Workers are not accepted right now.", error.Message, StringComparison.Ordinal);

        await using var longPolling = TestClients.Create(new Uri(server.BaseUrl, "/hubs/longpolling-only"));
        error = await Assert.ThrowsAsync<HubConnectionException>(() => longPolling.StartAsync());
        Assert.Contains("WebSockets", error.Message, StringComparison.Ordinal);
        Assert.Contains("LongPolling", error.Message, StringComparison.Ordinal);

        await using var nowhere = TestClients.Create(new Uri($"http://127.0.0.1:{TestHubServer.FindFreePort()}/hubs/live"));
        error = await Assert.ThrowsAsync<HubConnectionException>(() => nowhere.StartAsync());
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Disconnected, nowhere.State);
    }

    [Fact]
    public async Task Negotiate_redirects_are_followed_with_their_access_token()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(new Uri(server.BaseUrl, "/redirecting"));

        await client.StartAsync();

        Assert.Equal("ok", await client.InvokeAsync<string>("Echo", ["ok"]));
        Assert.Equal("Bearer token-from-redirect", server.Calls.LastAuthorization);
    }

    [Fact]
    public async Task A_thousand_notifications_arrive_in_order_and_a_megabyte_arrives_intact()
    {
        await using var server = await TestHubServer.StartAsync();
        var logger = new TestLogger();
        await using var client = TestClients.Create(server.HubUrl, logger);
        var items = new List<int>();
        var allItems = TestClients.Signal<bool>();
        var large = TestClients.Signal<string>();
        client.On<int>("Item", i =>
        {
            items.Add(i); // handlers run one at a time
            if (items.Count == 1000)
            {
                allItems.TrySetResult(true);
            }

            return Task.CompletedTask;
        });
        client.On<string>("Large", s => Task.FromResult(large.TrySetResult(s)));
        await client.StartAsync();

        await client.InvokeAsync("Sequence", [1000]);
        await allItems.Task.WaitAsync(TestClients.Patience);
        Assert.Equal(Enumerable.Range(0, 1000), items);

        const int Size = 1024 * 1024;
        await client.InvokeAsync("SendLarge", [Size]);
        var text = await large.Task.WaitAsync(TestClients.Patience);
        Assert.Equal(Size, text.Length);
        Assert.True(text.AsSpan(0, Size - 1).IndexOfAnyExcept('x') < 0);
        Assert.EndsWith("!", text, StringComparison.Ordinal);

        // And the other way round.
        Assert.Equal(Size, await client.InvokeAsync<int>("Length", [new string('y', Size)]));
        Assert.DoesNotContain(logger.Lines, l => l.Contains("yyyy", StringComparison.Ordinal) || l.Contains("xxxx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sending_while_disconnected_fails_clearly_and_start_is_not_reentrant()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var client = TestClients.Create(server.HubUrl);

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.SendAsync("Broadcast", ["x"]));
        Assert.Contains("Disconnected", error.Message, StringComparison.Ordinal);

        await client.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.StartAsync());

        await client.StopAsync();
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        await WaitUntilAsync(() => server.Calls.Disconnected == 1);

        // A stopped client can be started again.
        await client.StartAsync();
        Assert.Equal("again", await client.InvokeAsync<string>("Echo", ["again"]));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestClients.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met in time.");
            await Task.Delay(10);
        }
    }

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }
}
