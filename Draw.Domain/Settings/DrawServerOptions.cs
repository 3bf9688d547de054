using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>
/// The DRAW server API backend: where it is, who we are, its endpoint paths, tokens to import,
/// the proxy, timeouts and how status strings read. Endpoint paths are joined to
/// <see cref="BaseUrl"/> whatever the slashes; <c>{task_id}</c> is replaced by the task id.
/// </summary>
public sealed class DrawServerOptions
{
    public const string Section = "Draw:DrawServer";

    public const string TaskIdPlaceholder = "{task_id}";

    public bool Enabled { get; set; }

    /// <summary>The server, with or without a trailing slash; a path prefix (https://host/draw/) is kept.</summary>
    public string BaseUrl { get; set; } = "https://draw.chavi.ai/";

    /// <summary>Sent as the client_id form field of every upload (case-sensitive).</summary>
    public string ClientId { get; set; } = "";

    public string UploadEndpoint { get; set; } = "/api/upload/";

    public string StatusEndpoint { get; set; } = "/api/upload/{task_id}/status/";

    public string DownloadEndpoint { get; set; } = "/api/rtstruct/{task_id}/";

    public string ConfirmEndpoint { get; set; } = "/api/rtstruct/{task_id}/confirm/";

    public string TokenRefreshEndpoint { get; set; } = "/api/token/refresh/";

    public string HealthEndpoint { get; set; } = "/api/health/";

    public string ModelsEndpoint { get; set; } = "/api/models/";

    /// <summary>
    /// A bearer token to import into the encrypted token store. Imported once: it replaces the stored
    /// tokens only when the configured values change. It may be removed from configuration afterwards.
    /// </summary>
    public string? BearerToken { get; set; }

    public string? RefreshToken { get; set; }

    /// <summary>When the configured bearer token expires, if known (else read from a JWT, else refreshed on 401).</summary>
    public DateTimeOffset? BearerTokenExpiresAt { get; set; }

    /// <summary>Tokens are refreshed this long before they expire.</summary>
    public int RefreshBeforeExpirySeconds { get; set; } = 300;

    /// <summary>Timeout of small calls (health, status, confirmation, refresh, models).</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Timeout of the upload and the download, body included.</summary>
    public int TransferTimeoutSeconds { get; set; } = 300;

    public int ConnectTimeoutSeconds { get; set; } = 15;

    /// <summary>How many more health checks a busy server (503) gets before an upload gives up for now.</summary>
    public int BusyRetries { get; set; } = 2;

    /// <summary>The wait between health checks when the server is busy and gives no Retry-After (and the cap on one it gives).</summary>
    public int BusyWaitSeconds { get; set; } = 30;

    /// <summary>The pipeline stops polling a task (and parks it) once its submission is this old.</summary>
    public double GiveUpAfterDays { get; set; } = 7;

    /// <summary>
    /// Server status strings meaning the RTSTRUCT is ready, compared ignoring case. Empty means the
    /// defaults (SEGMENTATION COMPLETED, SEGMENTATION COMPLETE, SEGMENTATION RETRIEVED). Lists start
    /// empty because configuration binding appends to a list that already holds values.
    /// </summary>
    public List<string> ReadyStatuses { get; set; } = [];

    /// <summary>Server status strings meaning the segmentation failed; empty means FAILED.</summary>
    public List<string> FailedStatuses { get; set; } = [];

    /// <summary>
    /// Server status strings after a confirmation: the result was delivered (read as ready; the
    /// download may be gone). Empty means "Delivered to Client" and "Transfer Completed".
    /// </summary>
    public List<string> DeliveredStatuses { get; set; } = [];

    public static IReadOnlyList<string> DefaultReadyStatuses { get; } = ["SEGMENTATION COMPLETED", "SEGMENTATION COMPLETE", "SEGMENTATION RETRIEVED"];

    public static IReadOnlyList<string> DefaultFailedStatuses { get; } = ["FAILED"];

    public static IReadOnlyList<string> DefaultDeliveredStatuses { get; } = ["Delivered to Client", "Transfer Completed"];

    public IReadOnlyList<string> EffectiveReadyStatuses => ReadyStatuses is { Count: > 0 } ? ReadyStatuses : DefaultReadyStatuses;

    public IReadOnlyList<string> EffectiveFailedStatuses => FailedStatuses is { Count: > 0 } ? FailedStatuses : DefaultFailedStatuses;

    public IReadOnlyList<string> EffectiveDeliveredStatuses => DeliveredStatuses is { Count: > 0 } ? DeliveredStatuses : DefaultDeliveredStatuses;

    /// <summary>The confirmation succeeds only when the answer's message is exactly this.</summary>
    public string ConfirmationMessage { get; set; } = "Transfer confirmation received, files cleaned up";

    /// <summary>Refuse a download whose answer has no X-File-Checksum header (the original client accepted it).</summary>
    public bool RequireDownloadChecksum { get; set; }

    public DrawServerProxyOptions Proxy { get; set; } = new();

    public TimeSpan GiveUpAfter => TimeSpan.FromDays(GiveUpAfterDays);

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    public TimeSpan TransferTimeout => TimeSpan.FromSeconds(TransferTimeoutSeconds);

    public TimeSpan RefreshBeforeExpiry => TimeSpan.FromSeconds(RefreshBeforeExpirySeconds);
}

/// <summary>
/// The HTTP proxy for the DRAW server. Without an address the system settings apply
/// (HTTP_PROXY, HTTPS_PROXY, NO_PROXY); <see cref="Disabled"/> goes direct.
/// </summary>
public sealed class DrawServerProxyOptions
{
    public string? Address { get; set; }

    /// <summary>Regular expressions of hosts reached directly (WebProxy bypass list).</summary>
    public List<string> BypassList { get; set; } = [];

    public bool BypassOnLocal { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? Domain { get; set; }

    public bool Disabled { get; set; }
}

public sealed class DrawServerOptionsValidator : IValidateOptions<DrawServerOptions>
{
    public ValidateOptionsResult Validate(string? name, DrawServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add(SettingError.Of(DrawServerOptions.Section, key, problem));

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            Fail(nameof(options.BaseUrl), $"must be an absolute http or https URL without query or fragment (got '{options.BaseUrl}').");
        }

        if (options.Enabled && string.IsNullOrWhiteSpace(options.ClientId))
        {
            Fail(nameof(options.ClientId), "is required when the DRAW server backend is enabled (it is sent with every upload).");
        }

        CheckEndpoint(nameof(options.UploadEndpoint), options.UploadEndpoint, needsTaskId: false);
        CheckEndpoint(nameof(options.StatusEndpoint), options.StatusEndpoint, needsTaskId: true);
        CheckEndpoint(nameof(options.DownloadEndpoint), options.DownloadEndpoint, needsTaskId: true);
        CheckEndpoint(nameof(options.ConfirmEndpoint), options.ConfirmEndpoint, needsTaskId: true);
        CheckEndpoint(nameof(options.TokenRefreshEndpoint), options.TokenRefreshEndpoint, needsTaskId: false);
        CheckEndpoint(nameof(options.HealthEndpoint), options.HealthEndpoint, needsTaskId: false);
        CheckEndpoint(nameof(options.ModelsEndpoint), options.ModelsEndpoint, needsTaskId: false);

        if (options.RefreshToken is { Length: > 0 } && string.IsNullOrEmpty(options.BearerToken))
        {
            Fail(nameof(options.BearerToken), "is required when a RefreshToken is configured (they are imported together).");
        }

        Range(nameof(options.RefreshBeforeExpirySeconds), options.RefreshBeforeExpirySeconds, 0, 86_400);
        Range(nameof(options.RequestTimeoutSeconds), options.RequestTimeoutSeconds, 1, 3_600);
        Range(nameof(options.TransferTimeoutSeconds), options.TransferTimeoutSeconds, 1, 86_400);
        Range(nameof(options.ConnectTimeoutSeconds), options.ConnectTimeoutSeconds, 1, 600);
        Range(nameof(options.BusyRetries), options.BusyRetries, 0, 20);
        Range(nameof(options.BusyWaitSeconds), options.BusyWaitSeconds, 0, 3_600);
        if (double.IsNaN(options.GiveUpAfterDays) || options.GiveUpAfterDays <= 0 || options.GiveUpAfterDays > 365)
        {
            Fail(nameof(options.GiveUpAfterDays), $"must be more than 0 and at most 365 (got {options.GiveUpAfterDays}).");
        }

        foreach (var (key, list) in new[]
                 {
                     (nameof(options.ReadyStatuses), options.ReadyStatuses), (nameof(options.FailedStatuses), options.FailedStatuses),
                     (nameof(options.DeliveredStatuses), options.DeliveredStatuses),
                 })
        {
            if (list is not null && list.Any(string.IsNullOrWhiteSpace))
            {
                Fail(key, "must not contain empty status strings.");
            }
        }

        var ready = options.EffectiveReadyStatuses;
        if (options.EffectiveFailedStatuses.Any(f => ready.Contains(f, StringComparer.OrdinalIgnoreCase)))
        {
            Fail(nameof(options.FailedStatuses), "must not repeat a status listed as ready.");
        }

        if (string.IsNullOrWhiteSpace(options.ConfirmationMessage))
        {
            Fail(nameof(options.ConfirmationMessage), "must be the text the server answers a confirmation with.");
        }

        var proxy = options.Proxy ?? new DrawServerProxyOptions();
        var proxyKey = nameof(options.Proxy) + ":";
        if (!string.IsNullOrWhiteSpace(proxy.Address)
            && (!Uri.TryCreate(proxy.Address, UriKind.Absolute, out var proxyUri) || (proxyUri.Scheme != Uri.UriSchemeHttp && proxyUri.Scheme != Uri.UriSchemeHttps)))
        {
            Fail(proxyKey + nameof(proxy.Address), $"must be an absolute http or https URL such as http://proxy.example:3128 (got '{proxy.Address}').");
        }

        if (!string.IsNullOrEmpty(proxy.Username) && string.IsNullOrWhiteSpace(proxy.Address))
        {
            Fail(proxyKey + nameof(proxy.Username), "needs Draw:DrawServer:Proxy:Address (credentials are for an explicit proxy).");
        }

        if (!string.IsNullOrEmpty(proxy.Password) && string.IsNullOrEmpty(proxy.Username))
        {
            Fail(proxyKey + nameof(proxy.Password), "needs Draw:DrawServer:Proxy:Username.");
        }

        foreach (var pattern in proxy.BypassList ?? [])
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                Fail(proxyKey + nameof(proxy.BypassList), $"entries must be regular expressions (got '{pattern}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void CheckEndpoint(string key, string? value, bool needsTaskId)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail(key, "must be a path such as /api/upload/.");
                return;
            }

            if (value.Contains("://", StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal))
            {
                Fail(key, $"must be a path relative to BaseUrl, without scheme, host, query or fragment (got '{value}').");
            }

            var hasTaskId = value.Contains(DrawServerOptions.TaskIdPlaceholder, StringComparison.Ordinal);
            if (needsTaskId && !hasTaskId)
            {
                Fail(key, $"must contain {DrawServerOptions.TaskIdPlaceholder} (got '{value}').");
            }
            else if (!needsTaskId && hasTaskId)
            {
                Fail(key, $"must not contain {DrawServerOptions.TaskIdPlaceholder} (got '{value}').");
            }
        }

        void Range(string key, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                Fail(key, $"must be from {min} to {max} (got {value}).");
            }
        }
    }
}
