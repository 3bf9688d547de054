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

/// <summary>The HTTP plumbing: requests with the token, timeouts, and failures mapped to <see cref="BackendException"/>.</summary>
public sealed partial class DrawServerClient
{
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
}
