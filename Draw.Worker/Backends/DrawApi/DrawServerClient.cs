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
public sealed partial class DrawServerClient : ISegmentationBackend
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
