using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Draw.Testing.FakeDraw;

/// <summary>
/// A faithful fake of the DRAW server API on 127.0.0.1 (a random port): bearer auth with
/// expiring tokens and a refresh endpoint, health, multipart upload with checksum verification,
/// task status that moves Queued, Processing, SEGMENTATION COMPLETED (or FAILED), download with
/// X-File-Checksum, the confirmation with the server's message, and the models catalogue. Its
/// segmentation runs on the de-identified series it receives, so what it returns is a real
/// RTSTRUCT. <see cref="Switches"/> turns on every failure mode; everything received is recorded.
/// </summary>
public sealed partial class FakeDrawServer : IAsyncDisposable
{
    public const string CompletedStatus = "SEGMENTATION COMPLETED";

    public const string FailedStatus = "FAILED";

    public const string DeliveredStatus = "Transfer Completed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication app;
    private readonly TempFolder storage = new("fake-draw");
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, AccessToken> accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeTask> tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> running = [];
    private readonly Lock recordLock = new();
    private readonly List<FakeDrawRequest> requests = [];
    private readonly List<FakeDrawUpload> uploads = [];
    private readonly List<FakeDrawConfirmation> confirmations = [];
    private int refreshCount;

    private FakeDrawServer(FakeDrawServerOptions options)
    {
        Options = options;
        PathBase = "/" + options.PathBase.Trim('/');
        if (PathBase == "/")
        {
            PathBase = "";
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        app = builder.Build();
        Map();
        (InitialAccessToken, InitialRefreshToken, InitialAccessTokenExpiresAt) = IssueTokens();
    }

    public FakeDrawServerOptions Options { get; }

    public FakeDrawServerSwitches Switches { get; } = new();

    /// <summary>The path prefix ("" or e.g. "/draw").</summary>
    public string PathBase { get; }

    /// <summary>http://127.0.0.1:port/ (plus the path prefix), with a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public string InitialAccessToken { get; }

    public string InitialRefreshToken { get; }

    public DateTimeOffset InitialAccessTokenExpiresAt { get; }

    /// <summary>Where uploads, work folders and results are kept.</summary>
    public string StorageFolder => storage.Path;

    public int RefreshCount => Volatile.Read(ref refreshCount);

    public IReadOnlyList<FakeDrawRequest> Requests
    {
        get
        {
            lock (recordLock)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<FakeDrawUpload> Uploads
    {
        get
        {
            lock (recordLock)
            {
                return [.. uploads];
            }
        }
    }

    public IReadOnlyList<FakeDrawConfirmation> Confirmations
    {
        get
        {
            lock (recordLock)
            {
                return [.. confirmations];
            }
        }
    }

    /// <summary>Downloads started, over all tasks (those a client cut off included).</summary>
    public int DownloadCount => tasks.Values.Sum(t => t.Downloads);

    /// <summary>Downloads whose whole body was sent, over all tasks.</summary>
    public int CompletedDownloadCount => tasks.Values.Sum(t => t.CompletedDownloads);

    /// <summary>Closed, downloads stop half-way until opened (see <see cref="FakeDownloadGate"/>).</summary>
    public FakeDownloadGate DownloadGate { get; } = new();

    public static async Task<FakeDrawServer> StartAsync(FakeDrawServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeDrawServer(options ?? new FakeDrawServerOptions());
        await server.app.StartAsync(cancellationToken);
        var address = server.app.Urls.Single();
        server.BaseUrl = address.TrimEnd('/') + server.PathBase + "/";
        return server;
    }

    /// <summary>Requests whose path ends with <paramref name="suffix"/> (e.g. "/confirm/").</summary>
    public IReadOnlyList<FakeDrawRequest> RequestsTo(string suffix) =>
        Requests.Where(r => r.Path.TrimEnd('/').EndsWith(suffix.TrimEnd('/'), StringComparison.Ordinal)).ToList();

    public int DownloadsOf(string taskId) => tasks.TryGetValue(taskId, out var t) ? t.Downloads : 0;

    public string? StatusOf(string taskId) => tasks.TryGetValue(taskId, out var t) ? t.Status : null;

    /// <summary>The series instance UIDs found in the package of a task (after the segmentation started).</summary>
    public IReadOnlyList<string> SeriesOf(string taskId) => tasks.TryGetValue(taskId, out var t) ? t.SeriesUids : [];

    /// <summary>A fresh access/refresh token pair the server accepts.</summary>
    public (string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt) IssueTokens(TimeSpan? lifetime = null)
    {
        var (access, expiresAt) = NewAccessToken(lifetime ?? Options.AccessTokenLifetime);
        var refresh = "rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        refreshTokens[refresh] = true;
        return (access, refresh, expiresAt);
    }

    /// <summary>Waits until the task's status is <paramref name="status"/> (the segmentation runs in the background).</summary>
    public async Task WaitForStatusAsync(string taskId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (StatusOf(taskId) != status)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"task {taskId} is '{StatusOf(taskId)}', not '{status}', after {timeout}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-segmentation.
        }

        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
        storage.Dispose();
    }

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            try
            {
                if (Switches.SlowAnswers > TimeSpan.Zero)
                {
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
                    await Task.Delay(Switches.SlowAnswers, either.Token);
                }

                if (!path.EndsWith("/token/refresh", StringComparison.Ordinal) && !path.EndsWith("/token/refresh/", StringComparison.Ordinal) && Switches.TakeServerError())
                {
                    await Answer(context, HttpStatusCode.InternalServerError, new { error = "Internal server error (fake)" });
                }
                else
                {
                    await next(context);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away, or the server stops.
            }

            lock (recordLock)
            {
                requests.Add(new FakeDrawRequest(context.Request.Method, path, Header(context, "Authorization"), Header(context, "Content-Type"),
                    context.Response.StatusCode, DateTimeOffset.UtcNow));
            }
        });

        var p = PathBase;
        app.MapGet(p + "/api/health", Health);
        app.MapGet(p + "/api/models", Models);
        app.MapPost(p + "/api/token/refresh", Refresh);
        app.MapPost(p + "/api/upload", Upload);
        app.MapGet(p + "/api/upload/{taskId}/status", Status);
        app.MapGet(p + "/api/rtstruct/{taskId}", Download);
        app.MapPost(p + "/api/rtstruct/{taskId}/confirm", Confirm);
    }

    private (string Token, DateTimeOffset ExpiresAt) NewAccessToken(TimeSpan lifetime)
    {
        var expiresAt = DateTimeOffset.UtcNow + lifetime;
        string token;
        if (Options.JwtAccessTokens)
        {
            var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
            var payload = Base64Url(JsonSerializer.Serialize(new { sub = "fake-client", exp = expiresAt.ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString("N") }));
            token = $"{header}.{payload}.{Base64Url("fake-signature")}";
        }
        else
        {
            token = "at-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        }

        accessTokens[token] = new AccessToken(TokenSequence.Next(), expiresAt);
        return (token, expiresAt);
    }

    private async Task<bool> Authorized(HttpContext context)
    {
        var token = Bearer(context);
        var expiredBefore = Switches.ExpiredBefore;
        if (!Switches.RejectAllTokens && token is not null && accessTokens.TryGetValue(token, out var known)
            && known.ExpiresAt > DateTimeOffset.UtcNow && (expiredBefore == 0 || known.Sequence >= expiredBefore))
        {
            return true;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Answer(context, HttpStatusCode.Unauthorized, new { detail = "Invalid or expired token" });
        return false;
    }

    private async Task<FakeTask?> NotFound(HttpContext context, string taskId)
    {
        if (!Switches.TaskNotFound && tasks.TryGetValue(taskId, out var task))
        {
            return task;
        }

        await Answer(context, HttpStatusCode.NotFound, new { detail = "Not found." });
        return null;
    }

    private async Task Busy(HttpContext context)
    {
        if (Switches.BusyRetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await Answer(context, HttpStatusCode.ServiceUnavailable, new { status = "busy", details = new { reason = "GPU queue full (fake)" } });
    }

    private static Task Answer<T>(HttpContext context, HttpStatusCode code, T body)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }

    private static string? Bearer(HttpContext context)
    {
        var header = Header(context, "Authorization");
        return header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : null;
    }

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void TryDelete(string? path)
    {
        try
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // A test may hold it.
        }
    }

    private void Record(FakeDrawUpload upload)
    {
        lock (recordLock)
        {
            uploads.Add(upload);
        }
    }

    private void Record(FakeDrawConfirmation confirmation)
    {
        lock (recordLock)
        {
            confirmations.Add(confirmation);
        }
    }

    private sealed record AccessToken(long Sequence, DateTimeOffset ExpiresAt);

    private sealed class FakeTask(string id, string zipPath)
    {
        public int Downloads;

        public int CompletedDownloads;

        public string Id { get; } = id;

        public string ZipPath { get; } = zipPath;

        public volatile string Status = "";

        public string? Error { get; set; }

        public string? WorkFolder { get; set; }

        public string? ResultPath { get; set; }

        public IReadOnlyList<string> SeriesUids { get; set; } = [];
    }
}
