using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Backends.DrawApi;

/// <summary>
/// The DRAW server API as an <see cref="ISegmentationBackend"/> (a typed HttpClient). Every call
/// sends the bearer token (health checks too), refreshes it shortly before it expires and once
/// after a 401, and maps failures to <see cref="BackendException"/>: timeouts, connection
/// failures, 408, 429 and 5xx are transient; other 4xx, a wrong checksum and a token refused
/// after a refresh are permanent. The caller's cancellation always surfaces as
/// <see cref="OperationCanceledException"/>. A 503 carries the server's Retry-After in
/// <c>Exception.Data[<see cref="RetryAfterKey"/>]</c> (a <see cref="TimeSpan"/>).
/// The client holds no state of its own between calls: task ids and downloads are the pipeline's
/// durable state, so every call works the same after a restart.
/// </summary>
public sealed class DrawServerClient : ISegmentationBackend
{
    public const string BackendName = "draw-server";

    public const string HttpClientName = "draw-server";

    /// <summary>The key of <see cref="Exception.Data"/> holding a busy server's Retry-After.</summary>
    public const string RetryAfterKey = "RetryAfter";

    private const string ChecksumHeader = "X-File-Checksum";

    private const int MaxMessageChars = 200;

    private readonly HttpClient http;
    private readonly DrawServerOptions options;
    private readonly DrawServerTokenManager tokens;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly DrawServerUrls urls;

    public DrawServerClient(HttpClient http, IOptions<DrawServerOptions> options, DrawServerTokenManager tokens, TimeProvider time, ILogger<DrawServerClient> logger)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        this.tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        urls = new DrawServerUrls(this.options);
    }

    public string Name => BackendName;

    /// <summary>The pipeline parks a task whose submission is older than this (Draw:DrawServer:GiveUpAfterDays).</summary>
    public TimeSpan GiveUpAfter => options.GiveUpAfter;

    public DrawServerUrls Urls => urls;

    /// <summary>The Retry-After a busy answer carried, if any.</summary>
    public static TimeSpan? RetryAfterOf(BackendException exception) =>
        exception?.Data[RetryAfterKey] is TimeSpan wait ? wait : null;

    public Task<string> GetCatalogueJsonAsync(CancellationToken cancellationToken) =>
        CallAsync("models catalogue", options.RequestTimeout, async ct =>
        {
            using var response = await SendAsync("models catalogue", () => new HttpRequestMessage(HttpMethod.Get, urls.Models), requireToken: false, HttpCompletionOption.ResponseContentRead, ct);
            await EnsureSuccessAsync("models catalogue", response, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new BackendException($"The DRAW server's models catalogue is not a JSON array (it is {json.RootElement.ValueKind}).", transient: false);
                }
            }
            catch (JsonException e)
            {
                throw new BackendException("The DRAW server's models catalogue is not JSON.", transient: false, innerException: e);
            }

            return body;
        }, cancellationToken);

    public async Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ProbeHealthAsync(cancellationToken);
        }
        catch (BackendException e)
        {
            return new BackendHealth(BackendHealthState.Unavailable, e.Message);
        }
    }

    public async Task<BackendSubmission> SubmitAsync(SubmissionPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (!File.Exists(package.ZipPath))
        {
            throw new BackendException($"The package {Path.GetFileName(package.ZipPath)} does not exist.", transient: false);
        }

        await WaitUntilReadyAsync(cancellationToken);
        var bytes = new FileInfo(package.ZipPath).Length;
        return await CallAsync("upload", options.TransferTimeout, async ct =>
        {
            using var response = await SendAsync("upload", () => UploadRequest(package), requireToken: true, HttpCompletionOption.ResponseContentRead, ct);
            await EnsureSuccessAsync("upload", response, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var taskId = ReadTaskId(body)
                ?? throw new BackendException($"The DRAW server accepted the upload (HTTP {(int)response.StatusCode}) but answered no task_id or transaction_token.", transient: false, (int)response.StatusCode);
            DrawServerLog.Submitted(logger, taskId, bytes);
            return new BackendSubmission(taskId);
        }, cancellationToken);
    }

    public Task<BackendTaskStatus> GetStatusAsync(string taskId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync("status", options.RequestTimeout, async ct =>
        {
            using var response = await SendAsync("status", () => new HttpRequestMessage(HttpMethod.Get, urls.Status(taskId)), requireToken: true, HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                DrawServerLog.TaskNotFound(logger, taskId);
                return new BackendTaskStatus(BackendTaskState.NotFound, "TASK_NOT_FOUND");
            }

            await EnsureSuccessAsync("status", response, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var (status, error) = ReadStatus(body);
            if (status is null)
            {
                throw new BackendException($"The DRAW server's status answer for task {taskId} has no status.", transient: true, (int)response.StatusCode);
            }

            var state = Classify(status);
            DrawServerLog.StatusRead(logger, taskId, status, state.ToString());
            return new BackendTaskStatus(state, status, state == BackendTaskState.Failed ? error ?? "the DRAW server reports the segmentation failed" : error);
        }, cancellationToken);
    }

    public async Task<BackendDownload> DownloadAsync(string taskId, string destinationFile, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationFile);
        var destination = Path.GetFullPath(destinationFile);
        if (await DownloadReceipt.TryReuseAsync(destination, taskId, cancellationToken) is { } reused)
        {
            DrawServerLog.DownloadReused(logger, taskId);
            return reused;
        }

        return await CallAsync("download", options.TransferTimeout, async ct =>
        {
            using var response = await SendAsync("download", () => new HttpRequestMessage(HttpMethod.Get, urls.Download(taskId)), requireToken: true, HttpCompletionOption.ResponseHeadersRead, ct);
            await EnsureSuccessAsync("download", response, ct);
            var expected = response.Headers.TryGetValues(ChecksumHeader, out var values) ? values.FirstOrDefault()?.Trim() : null;
            if (string.IsNullOrEmpty(expected) && options.RequireDownloadChecksum)
            {
                throw new BackendException($"The DRAW server sent the RTSTRUCT of task {taskId} without {ChecksumHeader}.", transient: false);
            }

            var folder = Path.GetDirectoryName(destination)!;
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.part");
            try
            {
                string actual;
                long bytes = 0;
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(ct);
                        var buffer = new byte[1 << 16];
                        int read;
                        while ((read = await body.ReadAsync(buffer, ct)) > 0)
                        {
                            hash.AppendData(buffer, 0, read);
                            await file.WriteAsync(buffer.AsMemory(0, read), ct);
                            bytes += read;
                        }

                        await file.FlushAsync(ct);
                        file.Flush(flushToDisk: true);
                    }

                    actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                }

                if (!string.IsNullOrEmpty(expected) && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                {
                    DrawServerLog.ChecksumMismatch(logger, taskId);
                    throw new BackendException($"Checksum mismatch: the RTSTRUCT of task {taskId} does not match its {ChecksumHeader}; the file was deleted.", transient: false);
                }

                File.Move(temporary, destination, overwrite: true);
                var download = new BackendDownload(destination, actual, bytes);
                await DownloadReceipt.WriteAsync(download, taskId, ct);
                DrawServerLog.Downloaded(logger, taskId, bytes, string.IsNullOrEmpty(expected) ? "not sent" : "verified");
                return download;
            }
            finally
            {
                TryDelete(temporary);
            }
        }, cancellationToken);
    }

    public Task ConfirmAsync(string taskId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
        return CallAsync("confirmation", options.RequestTimeout, async ct =>
        {
            using var response = await SendAsync("confirmation", () => new HttpRequestMessage(HttpMethod.Post, urls.Confirm(taskId))
            {
                Content = JsonContent.Create(new Dictionary<string, string>
                {
                    ["task_id"] = taskId,
                    ["status"] = "received",
                    ["timestamp"] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                }),
            }, requireToken: true, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var message = ReadMessage(body);
            if (response.IsSuccessStatusCode && string.Equals(message?.Trim(), options.ConfirmationMessage, StringComparison.Ordinal))
            {
                DrawServerLog.Confirmed(logger, taskId);
                return true;
            }

            var shown = Truncate(message ?? "");
            DrawServerLog.ConfirmationRefused(logger, taskId, (int)response.StatusCode, shown);
            throw new BackendException($"The DRAW server did not confirm task {taskId} (HTTP {(int)response.StatusCode}, message '{shown}'); only the confirmation is retried.", transient: true, (int)response.StatusCode);
        }, cancellationToken);
    }

    internal static bool IsTransientStatus(HttpStatusCode code) =>
        code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)code >= 500;

    internal static string Describe(HttpRequestException e) =>
        e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "the connection failed (refused or unreachable)",
            HttpRequestError.NameResolutionError => "the host name does not resolve",
            HttpRequestError.SecureConnectionError => "the TLS connection failed",
            HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
            HttpRequestError.ResponseEnded => "the server closed the connection mid-answer",
            _ => e.Message,
        };

    /// <summary>Health with exceptions: Ready on 2xx, Busy on 503 or 429 (with Retry-After), Unavailable otherwise.</summary>
    private Task<BackendHealth> ProbeHealthAsync(CancellationToken cancellationToken) =>
        CallAsync("health check", options.RequestTimeout, async ct =>
        {
            using var response = await SendAsync("health check", () => new HttpRequestMessage(HttpMethod.Get, urls.Health), requireToken: false, HttpCompletionOption.ResponseContentRead, ct);
            if (response.IsSuccessStatusCode)
            {
                return new BackendHealth(BackendHealthState.Ready);
            }

            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            {
                return new BackendHealth(BackendHealthState.Busy, $"the DRAW server is busy (HTTP {(int)response.StatusCode})", RetryAfter(response));
            }

            return new BackendHealth(BackendHealthState.Unavailable, $"the DRAW server's health check answered HTTP {(int)response.StatusCode}");
        }, cancellationToken);

    /// <summary>Health checks before an upload: a busy server gets <see cref="DrawServerOptions.BusyRetries"/> more checks, a wait apart.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var attempts = options.BusyRetries + 1;
        var cap = TimeSpan.FromSeconds(options.BusyWaitSeconds);
        for (var attempt = 1; ; attempt++)
        {
            var health = await ProbeHealthAsync(cancellationToken);
            switch (health.State)
            {
                case BackendHealthState.Ready:
                    return;
                case BackendHealthState.Busy:
                    var wait = health.RetryAfter ?? cap;
                    if (attempt >= attempts || wait > cap)
                    {
                        var busy = new BackendException($"The DRAW server is busy (HTTP 503 after {attempt} health check(s)); the upload waits for a later try.", transient: true, 503);
                        busy.Data[RetryAfterKey] = wait;
                        throw busy;
                    }

                    DrawServerLog.ServerBusy(logger, attempt, attempts, wait);
                    await Task.Delay(wait, time, cancellationToken);
                    break;
                default:
                    throw new BackendException($"The DRAW server is not ready: {health.Detail}.", transient: true);
            }
        }
    }

    private HttpRequestMessage UploadRequest(SubmissionPackage package)
    {
        var file = new StreamContent(new FileStream(package.ZipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var form = new MultipartFormDataContent
        {
            { file, "file", Path.GetFileName(package.ZipPath) },
            { new StringContent(package.Sha256.ToLowerInvariant()), "checksum" },
        };
        if (!string.IsNullOrEmpty(options.ClientId))
        {
            form.Add(new StringContent(options.ClientId), "client_id");
        }

        return new HttpRequestMessage(HttpMethod.Post, urls.Upload) { Content = form };
    }

    /// <summary>Sends with the bearer token; on a 401 refreshes the token and sends once more.</summary>
    private async Task<HttpResponseMessage> SendAsync(string operation, Func<HttpRequestMessage> build, bool requireToken, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        if (token is null && requireToken)
        {
            throw new BackendException($"No DRAW server bearer token: set {DrawServerOptions.Section}:BearerToken (and RefreshToken).", transient: false);
        }

        var response = await SendOnceAsync(build, token, completion, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        if (token is null)
        {
            throw new BackendException($"The DRAW server's {operation} needs a bearer token (HTTP 401): set {DrawServerOptions.Section}:BearerToken.", transient: false, 401);
        }

        DrawServerLog.TokenRejected(logger, operation);
        var fresh = await tokens.RefreshAfterRejectionAsync(token, cancellationToken);
        response = await SendOnceAsync(build, fresh, completion, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new BackendException($"Token refused: the DRAW server refused the bearer token on {operation} even after a refresh (HTTP 401); set {DrawServerOptions.Section}:BearerToken and RefreshToken again.", transient: false, 401);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, string? token, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = build();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request, completion, cancellationToken);
    }

    /// <summary>Runs one call under its timeout and turns transport failures into <see cref="BackendException"/>.</summary>
    private async Task<T> CallAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await call(limit.Token);
        }
        catch (BackendException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            DrawServerLog.CallFailed(logger, operation, $"timed out after {timeout}");
            throw new BackendException($"The DRAW server's {operation} timed out after {timeout.TotalSeconds:0.#} s.", transient: true, innerException: e);
        }
        catch (HttpRequestException e)
        {
            var problem = Describe(e);
            DrawServerLog.CallFailed(logger, operation, problem);
            throw new BackendException($"The DRAW server's {operation} failed: {problem}.", transient: true, innerException: e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            DrawServerLog.CallFailed(logger, operation, e.GetType().Name);
            throw new BackendException($"The DRAW server's {operation} failed: {e.Message}", transient: true, innerException: e);
        }
    }

    private async Task CallAsync(string operation, TimeSpan timeout, Func<CancellationToken, Task<bool>> call, CancellationToken cancellationToken) =>
        await CallAsync<bool>(operation, timeout, call, cancellationToken);

    private async Task EnsureSuccessAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = (int)response.StatusCode;
        var detail = ReadMessage(await ReadSomeAsync(response, cancellationToken));
        var suffix = string.IsNullOrWhiteSpace(detail) ? "" : $": {Truncate(detail)}";
        var transient = IsTransientStatus(response.StatusCode);
        var message = response.StatusCode switch
        {
            HttpStatusCode.ServiceUnavailable => $"The DRAW server is busy (HTTP 503) on {operation}{suffix}.",
            HttpStatusCode.NotFound when operation == "download" => $"The DRAW server has no RTSTRUCT for this task (HTTP 404){suffix}.",
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest =>
                $"The DRAW server redirected the {operation} (HTTP {code} to {response.Headers.Location}); check {DrawServerOptions.Section}:BaseUrl.",
            _ => $"The DRAW server's {operation} answered HTTP {code}{suffix}.",
        };
        var exception = new BackendException(message, transient, code);
        if (RetryAfter(response) is { } wait)
        {
            exception.Data[RetryAfterKey] = wait;
        }

        DrawServerLog.CallFailed(logger, operation, $"HTTP {code}");
        throw exception;
    }

    private BackendTaskState Classify(string status)
    {
        static bool In(IReadOnlyList<string> list, string value) => list.Any(s => string.Equals(s.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (In(options.EffectiveReadyStatuses, status) || In(options.EffectiveDeliveredStatuses, status))
        {
            return BackendTaskState.Ready;
        }

        return In(options.EffectiveFailedStatuses, status) ? BackendTaskState.Failed : BackendTaskState.Pending;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[4096];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>The task id of an upload answer: task_id, else transaction_token (string or number).</summary>
    private static string? ReadTaskId(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var key in new[] { "task_id", "transaction_token" })
            {
                if (json.RootElement.TryGetProperty(key, out var value))
                {
                    var text = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.Number => value.GetRawText(),
                        _ => null,
                    };
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        return text.Trim();
                    }
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string? Status, string? Error) ReadStatus(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return (string.IsNullOrWhiteSpace(status) ? null : status, string.IsNullOrWhiteSpace(error) ? null : Truncate(error));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>The message, error or detail string of a JSON answer (or a JSON string answer).</summary>
    private static string? ReadMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return root.GetString();
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in new[] { "message", "error", "detail" })
                {
                    if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString();
                    }
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= MaxMessageChars ? oneLine : oneLine[..MaxMessageChars] + "...";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the work folder's clean-up.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
