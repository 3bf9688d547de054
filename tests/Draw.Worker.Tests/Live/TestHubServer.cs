using Microsoft.AspNetCore.Http.Features;
using System.Net;
using System.Net.Sockets;
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

    public async Task BroadcastAsync(string method, params object?[] args) =>
        await _app.Services.GetRequiredService<IHubContext<TestHub>>().Clients.All.SendCoreAsync(method, args);

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
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton<HubCallLog>();
        builder.Services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 4 * 1024 * 1024;
            configureHub?.Invoke(options);
        });

        var app = builder.Build();
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
        return app;
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
