using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Backends.DrawApi;

/// <summary>
/// The DRAW server's bearer and refresh tokens: imported once from configuration into the encrypted
/// <see cref="TokenStore"/>, refreshed shortly before they expire (expiry from the refresh answer,
/// else from the JWT exp claim, else unknown and refreshed on a 401), and refreshed after a 401.
/// A refresh happens under the store's lock and re-reads the store first, so concurrent callers and
/// other workers on the same data root refresh once and share the result.
/// </summary>
public sealed class DrawServerTokenManager : IDisposable
{
    private readonly DrawServerOptions options;
    private readonly TokenStore store;
    private readonly IHttpClientFactory httpClientFactory;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly DrawServerUrls urls;
    private readonly SemaphoreSlim importGate = new(1, 1);
    private readonly Lock cacheLock = new();
    private volatile bool imported;
    private (DateTime Written, long Length)? cachedStamp;
    private BackendTokens? cached;

    public DrawServerTokenManager(IOptions<DrawServerOptions> options, TokenStore store, IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<DrawServerTokenManager> logger)
    {
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.httpClientFactory = httpClientFactory ?? throw new ArgumentNullException(nameof(httpClientFactory));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        urls = new DrawServerUrls(this.options);
    }

    public TokenStore Store => store;

    public void Dispose() => importGate.Dispose();

    /// <summary>The current access token, refreshed first when it expires soon; null when none is configured or stored.</summary>
    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        await EnsureImportedAsync(cancellationToken).ConfigureAwait(false);
        var tokens = Current();
        if (tokens is null || !ExpiresSoon(tokens) || string.IsNullOrEmpty(tokens.RefreshToken))
        {
            return tokens?.AccessToken;
        }

        try
        {
            var refreshed = await RefreshAsync(t => ExpiresSoon(t), "before expiry", cancellationToken).ConfigureAwait(false);
            return refreshed.AccessToken;
        }
        catch (BackendException e) when (tokens.ExpiresAt > time.GetUtcNow())
        {
            // Not expired yet: keep using it; the next call tries the refresh again.
            DrawServerLog.CallFailed(logger, "token refresh before expiry", e.Message);
            return tokens.AccessToken;
        }
    }

    /// <summary>
    /// After the server refused <paramref name="rejectedAccessToken"/> (401): a new access token, from
    /// a refresh now or from one another caller made meanwhile.
    /// </summary>
    /// <exception cref="BackendException">Permanent when there is no refresh token or the server refuses it; transient on network trouble or 5xx.</exception>
    public async Task<string> RefreshAfterRejectionAsync(string rejectedAccessToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejectedAccessToken);
        var tokens = await RefreshAsync(t => string.Equals(t.AccessToken, rejectedAccessToken, StringComparison.Ordinal), "after HTTP 401", cancellationToken).ConfigureAwait(false);
        return tokens.AccessToken;
    }

    private bool ExpiresSoon(BackendTokens tokens) => tokens.ExpiresAt is { } expiry && expiry - options.RefreshBeforeExpiry <= time.GetUtcNow();

    private BackendTokens? Current()
    {
        lock (cacheLock)
        {
            return CurrentLocked();
        }
    }

    private BackendTokens? CurrentLocked()
    {
        var info = new FileInfo(store.FilePath);
        (DateTime, long)? stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
        if (stamp == cachedStamp && (cached is not null || stamp is null))
        {
            return cached;
        }

        try
        {
            cached = store.Load();
        }
        catch (InvalidDataException e)
        {
            DrawServerLog.StoredTokensUnreadable(logger, e.Message);
            throw new BackendException($"The stored DRAW server tokens cannot be read ({e.Message}); set {DrawServerOptions.Section}:BearerToken and RefreshToken again.", transient: false, innerException: e);
        }

        cachedStamp = stamp;
        return cached;
    }

    private async Task EnsureImportedAsync(CancellationToken cancellationToken)
    {
        if (imported)
        {
            return;
        }

        await importGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (imported)
            {
                return;
            }

            if (!string.IsNullOrEmpty(options.BearerToken))
            {
                await using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
                {
                    var fingerprint = TokenStore.Fingerprint(options.BearerToken, options.RefreshToken, options.BearerTokenExpiresAt);
                    BackendTokens? stored;
                    try
                    {
                        stored = store.Load();
                    }
                    catch (InvalidDataException e)
                    {
                        DrawServerLog.StoredTokensUnreadable(logger, e.Message);
                        stored = null;
                    }

                    if (stored?.ImportFingerprint != fingerprint)
                    {
                        var expiry = options.BearerTokenExpiresAt ?? JwtExpiry(options.BearerToken);
                        store.Save(new BackendTokens(options.BearerToken, NullIfEmpty(options.RefreshToken), expiry, time.GetUtcNow(), fingerprint));
                        DrawServerLog.TokensImported(logger, expiry);
                    }
                }
            }

            imported = true;
        }
        finally
        {
            importGate.Release();
        }
    }

    private async Task<BackendTokens> RefreshAsync(Func<BackendTokens, bool> stillNeeded, string reason, CancellationToken cancellationToken)
    {
        await using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (cacheLock)
            {
                cachedStamp = null;
            }

            var tokens = Current()
                ?? throw new BackendException($"No DRAW server bearer token: set {DrawServerOptions.Section}:BearerToken (and RefreshToken).", transient: false);
            if (!stillNeeded(tokens))
            {
                return tokens;
            }

            if (string.IsNullOrEmpty(tokens.RefreshToken))
            {
                throw new BackendException($"The DRAW server refused the bearer token and there is no refresh token; set {DrawServerOptions.Section}:BearerToken and RefreshToken again.", transient: false, statusCode: 401);
            }

            var refreshed = await CallRefreshAsync(tokens, cancellationToken).ConfigureAwait(false);
            store.Save(refreshed);
            lock (cacheLock)
            {
                cachedStamp = null;
                cached = refreshed;
            }

            DrawServerLog.TokenRefreshed(logger, reason, refreshed.ExpiresAt);
            return refreshed;
        }
    }

    private async Task<BackendTokens> CallRefreshAsync(BackendTokens tokens, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(DrawServerClient.HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, urls.TokenRefresh);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.RefreshToken);
            request.Content = JsonContent.Create(string.IsNullOrEmpty(options.ClientId)
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["client_id"] = options.ClientId });
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                DrawServerLog.TokenRefreshFailed(logger, code);
                var transient = DrawServerClient.IsTransientStatus(response.StatusCode);
                throw new BackendException(transient
                        ? $"The DRAW server token refresh failed for now (HTTP {code})."
                        : $"The DRAW server refused the refresh token (HTTP {code}); set {DrawServerOptions.Section}:BearerToken and RefreshToken again.",
                    transient, code);
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return ParseRefresh(body, tokens);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackendException($"The DRAW server token refresh timed out after {options.RequestTimeout}.", transient: true, innerException: e);
        }
        catch (HttpRequestException e)
        {
            throw new BackendException($"The DRAW server token refresh failed: {DrawServerClient.Describe(e)}.", transient: true, innerException: e);
        }
    }

    private BackendTokens ParseRefresh(string body, BackendTokens previous)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var access = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(access))
            {
                throw new BackendException("The DRAW server's token refresh answer has no access_token.", transient: false);
            }

            var refresh = root.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } rv ? rv : previous.RefreshToken;
            var now = time.GetUtcNow();
            DateTimeOffset? expiry = null;
            if (root.TryGetProperty("expires_in", out var ei))
            {
                double? seconds = ei.ValueKind switch
                {
                    JsonValueKind.Number => ei.GetDouble(),
                    JsonValueKind.String when double.TryParse(ei.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) => s,
                    _ => null,
                };
                if (seconds is > 0)
                {
                    expiry = now.AddSeconds(seconds.Value);
                }
            }

            if (expiry is null && root.TryGetProperty("expires_at", out var ea) && ea.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(ea.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                expiry = at;
            }

            expiry ??= JwtExpiry(access);
            return new BackendTokens(access, refresh, expiry, now, previous.ImportFingerprint);
        }
        catch (JsonException e)
        {
            throw new BackendException("The DRAW server's token refresh answer is not JSON.", transient: false, innerException: e);
        }
    }

    /// <summary>The exp claim of a JWT (header.payload.signature, base64url JSON payload); null for opaque tokens.</summary>
    public static DateTimeOffset? JwtExpiry(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
