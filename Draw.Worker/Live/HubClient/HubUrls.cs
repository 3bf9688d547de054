namespace Draw.Worker.Live.HubClient;

/// <summary>Builds the negotiate and WebSocket URLs from the hub URL, keeping any query string it already has.</summary>
internal static class HubUrls
{
    /// <summary><c>{hub}/negotiate?negotiateVersion=1</c>.</summary>
    public static Uri Negotiate(Uri hubUrl)
    {
        var builder = new UriBuilder(hubUrl);
        builder.Path = builder.Path.TrimEnd('/') + "/negotiate";
        builder.Query = AppendQuery(builder.Query, "negotiateVersion=1");
        return builder.Uri;
    }

    /// <summary><c>ws(s)://{hub}?id={connectionToken}</c>.</summary>
    public static Uri WebSocket(Uri hubUrl, string connectionToken)
    {
        var builder = new UriBuilder(hubUrl)
        {
            Scheme = hubUrl.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs,
        };
        if (builder.Uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        builder.Query = AppendQuery(builder.Query, "id=" + Uri.EscapeDataString(connectionToken));
        return builder.Uri;
    }

    /// <summary>The URL without query string, for messages and logs (a redirect's query may carry secrets).</summary>
    public static string ForDisplay(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static string AppendQuery(string query, string parameter)
    {
        var existing = query.TrimStart('?');
        return existing.Length == 0 ? parameter : existing + "&" + parameter;
    }
}
