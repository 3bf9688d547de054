using System.Net.WebSockets;
using Draw.Worker.Live.HubClient;
using Xunit.Abstractions;

namespace Draw.Worker.Tests.Live;

/// <summary>Protocol details a real hub rarely produces on demand, played by a hand-written WebSocket peer.</summary>
public sealed class HubProtocolEdgeCaseTests(ITestOutputHelper output)
{
    private const string RS = "\u001e";

    [Fact]
    public async Task Records_sharing_frames_and_spanning_frames_and_messages_are_all_delivered_in_order()
    {
        await using var server = await TestHubServer.StartAsync();
        var done = TestClients.Signal<bool>();
        // The peer keeps the socket open until the test has looked at the client's state.
        var checkedState = TestClients.Signal<bool>();
        server.Scripted.Script = async (socket, _) =>
        {
            // Handshake response and a first invocation in one frame.
            await ScriptedEndpoint.SendAsync(socket, "{}" + RS + """{"type":1,"target":"Notify","arguments":["a"]}""" + RS);
            // One record across three frames of one message.
            await ScriptedEndpoint.SendAsync(socket, """{"type":1,"tar""", endOfMessage: false);
            await ScriptedEndpoint.SendAsync(socket, """get":"Notify","argu""", endOfMessage: false);
            await ScriptedEndpoint.SendAsync(socket, """ments":["b"]}""" + RS + """{"type":6}""" + RS);
            // One record across two messages, then ignorable messages (stream item, unknown type, headers).
            await ScriptedEndpoint.SendAsync(socket, """{"type":1,"target":"Notify",""");
            await ScriptedEndpoint.SendAsync(socket, "\"arguments\":[\"c\"]}" + RS);
            await ScriptedEndpoint.SendAsync(socket, """{"type":2,"invocationId":"9","item":1}""" + RS + """{"type":99,"x":1}""" + RS);
            await ScriptedEndpoint.SendAsync(socket, """{"type":1,"headers":{"k":"v"},"target":"Notify","arguments":["d"]}""" + RS);
            await checkedState.Task.WaitAsync(TestClients.Patience);
        };
        await using var client = TestClients.Create(server.ScriptedUrl, new TestLogger(output), key: null);
        var received = new List<string>();
        client.On<string>("Notify", p =>
        {
            received.Add(p);
            if (received.Count == 4)
            {
                done.TrySetResult(true);
            }

            return Task.CompletedTask;
        });

        await client.StartAsync();
        await done.Task.WaitAsync(TestClients.Patience);

        Assert.Equal(["a", "b", "c", "d"], received);
        Assert.Equal(HubConnectionState.Connected, client.State);
        checkedState.TrySetResult(true);
    }

    [Fact]
    public async Task A_handshake_error_fails_start_with_the_server_message()
    {
        await using var server = await TestHubServer.StartAsync();
        server.Scripted.Script = (socket, _) =>
            ScriptedEndpoint.SendAsync(socket, """{"error":"Requested protocol 'json' is not available."}""" + RS);
        await using var client = TestClients.Create(server.ScriptedUrl, key: null);

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync());

        Assert.Contains("Requested protocol 'json' is not available.", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task A_handshake_that_never_comes_times_out()
    {
        await using var server = await TestHubServer.StartAsync();
        server.Scripted.Script = (socket, _) => ScriptedEndpoint.WaitForClientToLeaveAsync(socket);
        await using var client = TestClients.Create(server.ScriptedUrl, key: null, configure: o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync());

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task Close_with_allowReconnect_reconnects_and_close_without_it_closes()
    {
        await using var server = await TestHubServer.StartAsync();
        server.Scripted.Script = async (socket, connection) =>
        {
            await ScriptedEndpoint.SendAsync(socket, "{}" + RS);
            await Task.Delay(50);
            await ScriptedEndpoint.SendAsync(
                socket,
                connection == 1
                    ? """{"type":7,"error":"Server is restarting","allowReconnect":true}""" + RS
                    : """{"type":7,"error":"Go away"}""" + RS);
        };
        await using var client = TestClients.Create(server.ScriptedUrl, new TestLogger(output), key: null);
        var reconnecting = TestClients.Signal<Exception?>();
        var closed = TestClients.Signal<Exception?>();
        client.Reconnecting += e => Task.FromResult(reconnecting.TrySetResult(e));
        client.Closed += e => Task.FromResult(closed.TrySetResult(e));

        await client.StartAsync();

        var why = await reconnecting.Task.WaitAsync(TestClients.Patience);
        Assert.Contains("Server is restarting", why!.Message, StringComparison.Ordinal);
        var final = await closed.Task.WaitAsync(TestClients.Patience);
        Assert.Contains("Go away", final!.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Server_invocations_with_an_id_are_answered_with_a_completion()
    {
        await using var server = await TestHubServer.StartAsync();
        var answers = TestClients.Signal<(string, string)>();
        server.Scripted.Script = async (socket, _) =>
        {
            await ScriptedEndpoint.SendAsync(socket, "{}" + RS);
            await ScriptedEndpoint.SendAsync(socket, """{"type":1,"invocationId":"s1","target":"Ask","arguments":[]}""" + RS);
            var first = await ScriptedEndpoint.ReceiveRecordAsync(socket);
            await ScriptedEndpoint.SendAsync(socket, """{"type":1,"invocationId":"s2","target":"Unknown","arguments":[]}""" + RS);
            var second = await ScriptedEndpoint.ReceiveRecordAsync(socket);
            answers.TrySetResult((first, second));
            await ScriptedEndpoint.WaitForClientToLeaveAsync(socket);
        };
        await using var client = TestClients.Create(server.ScriptedUrl, key: null);
        client.On("Ask", () => Task.CompletedTask);

        await client.StartAsync();
        var (first, second) = await answers.Task.WaitAsync(TestClients.Patience);

        Assert.Equal("""{"type":3,"invocationId":"s1","result":null}""", first);
        Assert.StartsWith("""{"type":3,"invocationId":"s2","error":""", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_from_the_server_drops_the_connection_and_reconnects()
    {
        await using var server = await TestHubServer.StartAsync();
        server.Scripted.Script = async (socket, connection) =>
        {
            await ScriptedEndpoint.SendAsync(socket, "{}" + RS);
            if (connection == 1)
            {
                await ScriptedEndpoint.SendAsync(socket, "{not json" + RS);
            }

            await ScriptedEndpoint.WaitForClientToLeaveAsync(socket);
        };
        await using var client = TestClients.Create(server.ScriptedUrl, new TestLogger(output), key: null);
        var reconnected = TestClients.Signal<string?>();
        client.Reconnected += id => Task.FromResult(reconnected.TrySetResult(id));

        await client.StartAsync();

        await reconnected.Task.WaitAsync(TestClients.Patience);
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task The_client_sends_the_expected_wire_format()
    {
        await using var server = await TestHubServer.StartAsync();
        var records = TestClients.Signal<string[]>();
        server.Scripted.Script = async (socket, _) =>
        {
            await ScriptedEndpoint.SendAsync(socket, "{}" + RS);
            var send = await ScriptedEndpoint.ReceiveRecordAsync(socket);
            var invoke = await ScriptedEndpoint.ReceiveRecordAsync(socket);
            await ScriptedEndpoint.SendAsync(socket, """{"type":3,"invocationId":"1","result":{"answer":42}}""" + RS);
            var ping = await ScriptedEndpoint.ReceiveRecordAsync(socket);
            records.TrySetResult([send, invoke, ping]);
        };
        await using var client = TestClients.Create(server.ScriptedUrl, key: null, configure: o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(200));

        await client.StartAsync();
        await client.SendAsync("Publish", [new { JobId = 7, Status = "Done" }]);
        var result = await client.InvokeAsync<AnswerDto>("Ask", ["q", 1, null]);
        var (send, invoke, ping) = await records.Task.WaitAsync(TestClients.Patience) switch
        {
            [var a, var b, var c] => (a, b, c),
            _ => throw new InvalidOperationException(),
        };

        Assert.Equal(42, result!.Answer);
        Assert.Equal("""{"type":1,"target":"Publish","arguments":[{"jobId":7,"status":"Done"}]}""", send);
        Assert.Equal("""{"type":1,"invocationId":"1","target":"Ask","arguments":["q",1,null]}""", invoke);
        Assert.Equal("""{"type":6}""", ping);
    }

    public sealed record AnswerDto(int Answer);
}
