using Draw.Domain.Settings;

namespace Draw.Worker.Backends.DrawApi;

/// <summary>
/// Joins the base URL and an endpoint path whatever their slashes (https://host/ + /api/x/ and
/// https://host + api/x/ both give https://host/api/x/), keeping a path prefix on the base URL,
/// and puts the escaped task id in place of {task_id}.
/// </summary>
public sealed class DrawServerUrls
{
    private readonly string baseUrl;
    private readonly DrawServerOptions options;

    public DrawServerUrls(DrawServerOptions options)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        baseUrl = options.BaseUrl.Trim().TrimEnd('/');
    }

    public Uri Upload => Join(options.UploadEndpoint, null);

    public Uri Health => Join(options.HealthEndpoint, null);

    public Uri Models => Join(options.ModelsEndpoint, null);

    public Uri TokenRefresh => Join(options.TokenRefreshEndpoint, null);

    public Uri Status(string taskId) => Join(options.StatusEndpoint, taskId);

    public Uri Download(string taskId) => Join(options.DownloadEndpoint, taskId);

    public Uri Confirm(string taskId) => Join(options.ConfirmEndpoint, taskId);

    private Uri Join(string endpoint, string? taskId)
    {
        var path = endpoint.Trim().TrimStart('/');
        if (taskId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(taskId);
            path = path.Replace(DrawServerOptions.TaskIdPlaceholder, Uri.EscapeDataString(taskId), StringComparison.Ordinal);
        }

        return new Uri(baseUrl + "/" + path, UriKind.Absolute);
    }
}
