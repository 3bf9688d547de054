using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using System.Text;
using System.Text.Json;
using Draw.Worker.Live.HubClient;

namespace Draw.Worker.Tests.Live;

public sealed class HubProtocolUnitTests
{
    [Fact]
    public void Record_buffer_finds_every_record_whatever_the_chunking()
    {
        var records = new[] { """{"type":6}""", """{"type":1,"target":"A","arguments":["ü✓"]}""", "{}", new string('z', 50_000) };
        var wire = Encoding.UTF8.GetBytes(string.Concat(records.Select(r => r + "\u001e")));

        foreach (var chunk in new[] { 1, 2, 3, 7, 4096, wire.Length })
        {
            using var buffer = new RecordBuffer(initialCapacity: 16);
            var found = new List<string>();
            for (var offset = 0; offset < wire.Length; offset += chunk)
            {
                var count = Math.Min(chunk, wire.Length - offset);
                wire.AsSpan(offset, count).CopyTo(buffer.GetWriteMemory(count).Span);
                buffer.Advance(count);
                while (buffer.TryReadRecord(out var record))
                {
                    found.Add(Encoding.UTF8.GetString(record.Span));
                }
            }

            Assert.Equal(records, found);
            Assert.Equal(0, buffer.PendingBytes);
        }
    }

    [Fact]
    public void Record_buffer_keeps_a_partial_record_across_compaction()
    {
        using var buffer = new RecordBuffer(initialCapacity: 16);
        Write(buffer, "{\"a\":1}\u001e{\"b\":");
        Assert.True(buffer.TryReadRecord(out var first));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(first.Span));
        Assert.False(buffer.TryReadRecord(out _));
        Assert.Equal(5, buffer.PendingBytes);

        Write(buffer, new string(' ', 100) + "2}\u001e");
        Assert.True(buffer.TryReadRecord(out var second));
        Assert.Equal("{\"b\":" + new string(' ', 100) + "2}", Encoding.UTF8.GetString(second.Span));
    }

    [Fact]
    public void Parses_every_message_type_the_client_uses()
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse("""{"type":1,"invocationId":"7","target":"Wake","arguments":[1,"x",{"a":true}],"headers":{"h":"v"}}"""));
        Assert.Equal(("7", "Wake", 3), (invocation.InvocationId, invocation.Target, invocation.Arguments.Length));
        Assert.True(invocation.Arguments[2].GetProperty("a").GetBoolean());

        var fireAndForget = Assert.IsType<InvocationMessage>(Parse("""{"type":1,"target":"Wake"}"""));
        Assert.Null(fireAndForget.InvocationId);
        Assert.Empty(fireAndForget.Arguments);

        var result = Assert.IsType<CompletionMessage>(Parse("""{"type":3,"invocationId":"1","result":{"n":42}}"""));
        Assert.Equal(42, result.Result!.Value.GetProperty("n").GetInt32());
        Assert.Null(result.Error);

        var error = Assert.IsType<CompletionMessage>(Parse("""{"type":3,"invocationId":"2","error":"boom"}"""));
        Assert.Equal("boom", error.Error);
        Assert.Null(error.Result);

        var voidCompletion = Assert.IsType<CompletionMessage>(Parse("""{"type":3,"invocationId":"3"}"""));
        Assert.Null(voidCompletion.Result);

        Assert.IsType<PingMessage>(Parse("""{"type":6}"""));
        Assert.Equal(new CloseMessage(null, false), Parse("""{"type":7}"""));
        Assert.Equal(new CloseMessage("bye", true), Parse("""{"type":7,"error":"bye","allowReconnect":true}"""));
        Assert.Equal(new IgnoredMessage(2), Parse("""{"type":2,"invocationId":"1","item":5}"""));
        Assert.Equal(new IgnoredMessage(8), Parse("""{"type":8,"sequenceId":3}"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"target":"x"}""")]
    [InlineData("""{"type":1,"arguments":[]}""")]
    [InlineData("""{"type":1,"target":"x","arguments":{}}""")]
    [InlineData("""{"type":3}""")]
    public void Rejects_malformed_messages_with_InvalidDataException(string json) =>
        Assert.Throws<InvalidDataException>(() => Parse(json));

    [Fact]
    public void Handshake_response_is_success_or_error()
    {
        Assert.Null(JsonHubProtocol.ParseHandshakeResponse(Encoding.UTF8.GetBytes("{}")));
        Assert.Null(JsonHubProtocol.ParseHandshakeResponse(Encoding.UTF8.GetBytes("""{"minorVersion":1}""")));
        Assert.Equal("nope", JsonHubProtocol.ParseHandshakeResponse(Encoding.UTF8.GetBytes("""{"error":"nope"}""")));
        Assert.Throws<InvalidDataException>(() => JsonHubProtocol.ParseHandshakeResponse(Encoding.UTF8.GetBytes("""{"type":6}""")));
    }

    [Fact]
    public void Writes_records_terminated_by_the_separator()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal("{\"protocol\":\"json\",\"version\":1}\u001e", Text(JsonHubProtocol.HandshakeRequest));
        Assert.Equal("{\"type\":6}\u001e", Text(JsonHubProtocol.Ping));
        Assert.Equal(
            "{\"type\":1,\"target\":\"Publish\",\"arguments\":[{\"jobId\":3},null,\"s\"]}\u001e",
            Text(JsonHubProtocol.WriteInvocation(null, "Publish", [new { JobId = 3 }, null, "s"], options)));
        Assert.Equal(
            "{\"type\":1,\"invocationId\":\"5\",\"target\":\"Echo\",\"arguments\":[]}\u001e",
            Text(JsonHubProtocol.WriteInvocation("5", "Echo", [], options)));
        Assert.Equal("{\"type\":3,\"invocationId\":\"s1\",\"error\":\"no\"}\u001e", Text(JsonHubProtocol.WriteCompletion("s1", "no")));
        Assert.Equal("{\"type\":5,\"invocationId\":\"9\"}\u001e", Text(JsonHubProtocol.WriteCancelInvocation("9")));
    }

    [Fact]
    public void Urls_keep_the_hub_path_and_query()
    {
        Assert.Equal(
            "http://web:5000/hubs/live/negotiate?negotiateVersion=1",
            HubUrls.Negotiate(new Uri("http://web:5000/hubs/live")).ToString());
        Assert.Equal(
            "https://web/hubs/live/negotiate?tenant=a&negotiateVersion=1",
            HubUrls.Negotiate(new Uri("https://web/hubs/live/?tenant=a")).ToString());
        Assert.Equal(
            "ws://web:5000/hubs/live?id=a%2Bb%3D",
            HubUrls.WebSocket(new Uri("http://web:5000/hubs/live"), "a+b=").AbsoluteUri);
        Assert.Equal(
            "wss://web/hubs/live?tenant=a&id=t",
            HubUrls.WebSocket(new Uri("https://web/hubs/live?tenant=a"), "t").AbsoluteUri);
    }

    [Fact]
    public void Backoff_follows_the_schedule_repeats_the_last_delay_and_applies_jitter()
    {
        var plain = new ReconnectBackoff(LiveHubClientOptions.DefaultReconnectDelays, jitter: 0, maxAttempts: null);
        Assert.Equal(
            new[] { 0, 1, 2, 5, 10, 30, 30, 30 }.Select(s => TimeSpan.FromSeconds(s)),
            Enumerable.Range(0, 8).Select(i => plain.GetDelay(i)!.Value));
        Assert.Equal(TimeSpan.FromSeconds(30), plain.GetDelay(10_000));

        var low = new ReconnectBackoff([TimeSpan.Zero, TimeSpan.FromSeconds(10)], jitter: 0.2, maxAttempts: null, random: () => 0);
        var high = new ReconnectBackoff([TimeSpan.Zero, TimeSpan.FromSeconds(10)], jitter: 0.2, maxAttempts: null, random: () => 1);
        Assert.Equal(TimeSpan.Zero, low.GetDelay(0));
        Assert.Equal(TimeSpan.FromSeconds(8), low.GetDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(12), high.GetDelay(1));

        var random = new ReconnectBackoff([TimeSpan.FromSeconds(10)], jitter: 0.2, maxAttempts: null);
        Assert.All(Enumerable.Range(0, 100), i => Assert.InRange(random.GetDelay(i)!.Value.TotalSeconds, 8, 12));

        var limited = new ReconnectBackoff([TimeSpan.FromSeconds(1)], jitter: 0, maxAttempts: 2);
        Assert.NotNull(limited.GetDelay(1));
        Assert.Null(limited.GetDelay(2));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new LiveHubClient(new LiveHubClientOptions()));
        Assert.Throws<ArgumentException>(() => new LiveHubClient(new LiveHubClientOptions { Url = new Uri("ws://web/hubs/live") }));
        Assert.Throws<ArgumentException>(() => new LiveHubClient(new LiveHubClientOptions
        {
            Url = new Uri("http://web/hubs/live"),
            KeepAliveInterval = TimeSpan.Zero,
        }));
        Assert.Throws<ArgumentException>(() => new LiveHubClient(new LiveHubClientOptions
        {
            Url = new Uri("http://web/hubs/live"),
            ReconnectDelays = [TimeSpan.FromSeconds(-1)],
        }));
    }

    [Fact]
    public async Task Pending_invocations_complete_fail_and_refuse_after_close()
    {
        var pending = new PendingInvocations();
        var (id1, ok) = pending.Register("Echo");
        var (id2, failed) = pending.Register("Fail");
        var (_, lost) = pending.Register("Hang");
        Assert.NotEqual(id1, id2);

        using var doc = JsonDocument.Parse("\"x\"");
        Assert.True(pending.TryComplete(new CompletionMessage(id1, doc.RootElement.Clone(), null)));
        Assert.False(pending.TryComplete(new CompletionMessage(id1, null, null)));
        Assert.True(pending.TryComplete(new CompletionMessage(id2, null, "server said no")));
        pending.FailAll(new IOException("socket closed"));

        Assert.Equal("x", (await ok)!.Value.GetString());
        var error = await Assert.ThrowsAsync<HubInvocationException>(() => failed);
        Assert.Equal(("Fail", "server said no"), (error.MethodName, error.Message));
        var connectionError = await Assert.ThrowsAsync<HubConnectionException>(() => lost);
        Assert.IsType<IOException>(connectionError.InnerException);
        Assert.Throws<HubConnectionException>(() => pending.Register("Late"));
        Assert.Equal(0, pending.Count);
    }

    private static HubMessage Parse(string json) => JsonHubProtocol.Parse(Encoding.UTF8.GetBytes(json));

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static void Write(RecordBuffer buffer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(buffer.GetWriteMemory(bytes.Length).Span);
        buffer.Advance(bytes.Length);
    }
}

public sealed class LiveHubClientOptionsTests
{
    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Live:Hub:Url"] = "http://draw-web:8080/hubs/live",
                ["Live:Hub:KeepAliveInterval"] = "00:00:10",
                ["Live:Hub:ServerTimeout"] = "00:00:40",
                ["Live:Hub:ReconnectDelays:0"] = "00:00:00",
                ["Live:Hub:ReconnectDelays:1"] = "00:00:05",
                ["Live:Hub:Headers:X-Draw-Worker-Key"] = "from-config",
            })
            .Build();
        var options = new LiveHubClientOptions();

        configuration.GetSection("Live:Hub").Bind(options);

        Assert.Equal(new Uri("http://draw-web:8080/hubs/live"), options.Url);
        Assert.Equal(TimeSpan.FromSeconds(10), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(40), options.ServerTimeout);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(5)], options.ReconnectDelays);
        Assert.Equal("from-config", options.Headers["x-draw-worker-key"]);
        Assert.Equal(TimeSpan.FromSeconds(15), options.HandshakeTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }
}

public sealed class LiveHubClientRegistrationTests
{
    [Fact]
    public async Task The_client_is_registered_from_configuration_and_connects()
    {
        await using var server = await TestHubServer.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Live:Hub:Url"] = server.HubUrl.ToString(),
                ["Draw:WorkerKey"] = TestHubServer.Key,
            })
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddLiveHubClient(configuration.GetSection("Live:Hub"), o => o.Headers[TestHubServer.KeyHeader] = configuration["Draw:WorkerKey"]!);

        await using (var provider = services.BuildServiceProvider())
        {
            var client = provider.GetRequiredService<LiveHubClient>();
            await client.StartAsync();
            Assert.Equal("di", await client.InvokeAsync<string>("Echo", ["di"]));
        }

        await LiveHubClientTests.WaitUntilAsync(() => server.Calls.Disconnected == 1); // disposed with the container
    }
}
