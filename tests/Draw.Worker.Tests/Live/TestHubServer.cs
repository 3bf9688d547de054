using Microsoft.AspNetCore.Http.Features;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Draw.Worker.Tests.Live;

/// <summary>
/// A real ASP.NET Core SignalR hub on Kestrel at 127.0.0.1 (port 0, or a given port for restart tests), guarded by a
/// shared-key header like the DRAW web's worker endpoint.
/// </summary>
public sealed class TestHubServer : IAsyncDisposable
{
    public const string KeyHeader = "X-Draw-Worker-Key";
    public const string Key = "worker-test-key";
    public const string HubPath = "/hubs/live";

    private readonly WebApplication _app;

    private TestHubServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri HubUrl => new($"http://127.0.0.1:{Port}{HubPath}");

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    public HubCallLog Calls => _app.Services.GetRequiredService<HubCallLog>();

    /// <summary>
    /// The raw WebSocket endpoint at <c>/scripted</c> (negotiate included): after reading the client's handshake it
    /// runs this script with the socket and the 1-based connection number. Used for protocol edge cases.
    /// </summary>
    public ScriptedEndpoint Scripted => _app.Services.GetRequiredService<ScriptedEndpoint>();

    public Uri ScriptedUrl => new($"http://127.0.0.1:{Port}/scripted");

    /// <summary>Starts a server; with a fixed <paramref name="port"/> it retries briefly while the OS still holds the port.</summary>
    public static async Task<TestHubServer> StartAsync(int port = 0, Action<HubOptions>? configureHub = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var app = Build(port, configureHub);
            try
            {
                await app.StartAsync();
                var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                    .Addresses.Single();
                return new TestHubServer(app, new Uri(address).Port);
            }
            catch (IOException) when (port != 0 && DateTime.UtcNow < deadline)
            {
                await app.DisposeAsync();
                await Task.Delay(100);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A port that is free right now (for starting a client before its server).</summary>
    public static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public IHubContext<TestHub> HubContext => _app.Services.GetRequiredService<IHubContext<TestHub>>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static WebApplication Build(int port, Action<HubOptions>? configureHub)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromMilliseconds(500));
        builder.Services.AddSingleton<HubCallLog>();
        builder.Services.AddSingleton<ScriptedEndpoint>();
        builder.Services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 4 * 1024 * 1024;
            configureHub?.Invoke(options);
        });

        var app = builder.Build();
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/hubs")
                && context.Request.Headers[KeyHeader] != Key)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapHub<TestHub>(HubPath);
        app.MapHub<TestHub>("/hubs/longpolling-only", options => options.Transports = HttpTransportType.LongPolling);
        app.MapPost("/refusing/negotiate", () => Results.Json(new { error = "Workers are not accepted right now." }));
        app.MapPost("/redirecting/negotiate", (HttpContext context) => Results.Json(new
        {
            url = $"http://127.0.0.1:{context.Connection.LocalPort}{HubPath}",
            accessToken = "token-from-redirect",
        }));
        app.MapPost("/scripted/negotiate", () => Results.Json(new
        {
            connectionId = "scripted-id",
            connectionToken = "scripted-token",
            negotiateVersion = 1,
            availableTransports = new[] { new { transport = "WebSockets", transferFormats = new[] { "Text", "Binary" } } },
        }));
        app.Map("/scripted", (HttpContext context, ScriptedEndpoint endpoint) => endpoint.RunAsync(context));
        return app;
    }
}

/// <summary>A hand-written hub protocol peer: reads the handshake, then hands the socket to the test's script.</summary>
public sealed class ScriptedEndpoint
{
    private int _connections;

    public Func<WebSocket, int, Task>? Script { get; set; }

    /// <summary>Sends text as one WebSocket frame (<paramref name="endOfMessage"/> false leaves the message open).</summary>
    public static Task SendAsync(WebSocket socket, string text, bool endOfMessage = true) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage, CancellationToken.None);

    /// <summary>Waits until the client closes or drops the connection.</summary>
    public static async Task WaitForClientToLeaveAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
        }
    }

    /// <summary>Receives until the next record separator; returns the record text.</summary>
    public static async Task<string> ReceiveRecordAsync(WebSocket socket)
    {
        var bytes = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new IOException("The client closed the socket.");
            }

            bytes.AddRange(buffer.AsSpan(0, result.Count));
            var end = bytes.IndexOf(0x1E);
            if (end >= 0)
            {
                return Encoding.UTF8.GetString(bytes.GetRange(0, end).ToArray());
            }
        }
    }

    public async Task RunAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || context.Request.Query["id"] != "scripted-token")
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var handshake = await ReceiveRecordAsync(socket);
        if (!handshake.Contains("\"protocol\":\"json\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Unexpected handshake: " + handshake);
        }

        var connection = Interlocked.Increment(ref _connections);
        if (Script is { } script)
        {
            await script(socket, connection);
        }

        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }
}

/// <summary>What the test hub saw, for assertions on the server side.</summary>
public sealed class HubCallLog
{
    private int _connected;
    private int _disconnected;

    public int Connected => Volatile.Read(ref _connected);

    public int Disconnected => Volatile.Read(ref _disconnected);

    public string? LastAuthorization { get; set; }

    public void OnConnected() => Interlocked.Increment(ref _connected);

    public void OnDisconnected() => Interlocked.Increment(ref _disconnected);
}

public sealed record TestPayload(string Name, int Count, IReadOnlyList<string> Tags, DateTimeOffset At);

public sealed class TestHub(HubCallLog calls) : Hub
{
    public override Task OnConnectedAsync()
    {
        calls.OnConnected();
        calls.LastAuthorization = Context.GetHttpContext()?.Request.Headers.Authorization.ToString();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        calls.OnDisconnected();
        return Task.CompletedTask;
    }

    public string Echo(string value) => value;

    public int Add(int a, int b) => a + b;

    public TestPayload EchoObject(TestPayload payload) => payload with { Count = payload.Count + 1 };

    public int Length(string value) => value.Length;

    public void Nothing()
    {
    }

    public void Fail(string message) => throw new HubException(message);

    public void Crash() => throw new InvalidOperationException("secret internal detail");

    public Task Broadcast(string payload) => Clients.All.SendAsync("Notify", payload);

    public Task CallMeBack(string text, int number) => Clients.Caller.SendAsync("Callback", text, number);

    public Task SendObject(TestPayload payload) => Clients.Caller.SendAsync("Object", payload);

    public async Task Sequence(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Clients.Caller.SendAsync("Item", i);
        }
    }

    public Task SendLarge(int length) => Clients.Caller.SendAsync("Large", new string('x', length - 1) + "!");

    public async Task<int> Hang()
    {
        await Task.Delay(Timeout.Infinite, Context.ConnectionAborted);
        return 0;
    }

    public void CloseMe() => Context.Abort();
}
