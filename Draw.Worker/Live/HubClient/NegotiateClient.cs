using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Draw.Worker.Live.HubClient;

/// <summary>The outcome of negotiation: where to open the WebSocket and with which id.</summary>
internal sealed record NegotiationResult(Uri Url, string ConnectionToken, string? ConnectionId, string? AccessToken);

/// <summary>
/// <c>POST {hub}/negotiate?negotiateVersion=1</c>: reads the connection token (version 1) or id (version 0),
/// requires the WebSockets transport, follows redirect answers (url + accessToken) and surfaces <c>error</c> answers.
/// </summary>
internal sealed class NegotiateClient(HttpMessageInvoker http, LiveHubClientOptions options, ILogger logger)
{
    private const int MaxRedirects = 10;

    public async Task<NegotiationResult> NegotiateAsync(CancellationToken cancellationToken)
    {
        var url = options.Url!;
        string? accessToken = null;
        for (var redirects = 0; ; redirects++)
        {
            HubClientLog.Negotiating(logger, HubUrls.ForDisplay(url));
            using var document = await PostAsync(url, accessToken, cancellationToken);
            var root = document.RootElement;

            if (TryGetString(root, "error", out var error))
            {
                throw new HubConnectionException(
                    $"The hub at {HubUrls.ForDisplay(url)} refused the connection during negotiation: {error}");
            }

            if (TryGetString(root, "url", out var redirectUrl))
            {
                if (redirects >= MaxRedirects)
                {
                    throw new HubConnectionException($"Negotiation was redirected more than {MaxRedirects} times.");
                }

                if (!Uri.TryCreate(redirectUrl, UriKind.Absolute, out var next)
                    || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
                {
                    throw new HubConnectionException("Negotiation redirected to a URL that is not absolute http(s).");
                }

                url = next;
                accessToken = TryGetString(root, "accessToken", out var token) ? token : null;
                HubClientLog.NegotiateRedirected(logger, HubUrls.ForDisplay(url));
                continue;
            }

            return ReadConnection(root, url, accessToken);
        }
    }

    private async Task<JsonDocument> PostAsync(Uri url, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HubUrls.Negotiate(url))
        {
            Content = new ByteArrayContent([]),
        };
        foreach (var (name, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new HubConnectionException(
                $"The hub at {HubUrls.ForDisplay(url)} could not be reached: {ex.Message}", ex, ex.StatusCode);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var hint = status is 401 or 403 ? " Check the worker's shared key header." : string.Empty;
                throw new HubConnectionException(
                    $"Negotiation with the hub at {HubUrls.ForDisplay(url)} failed: {status} {response.ReasonPhrase}.{hint}",
                    null,
                    response.StatusCode);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            try
            {
                var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return document;
                }

                document.Dispose();
            }
            catch (JsonException ex)
            {
                throw new HubConnectionException("The negotiate response is not valid JSON (is the URL a SignalR hub?).", ex);
            }

            throw new HubConnectionException("The negotiate response is not a JSON object (is the URL a SignalR hub?).");
        }
    }

    private static NegotiationResult ReadConnection(JsonElement root, Uri url, string? accessToken)
    {
        var offered = new List<string>();
        var webSockets = false;
        if (root.TryGetProperty("availableTransports", out var transports) && transports.ValueKind == JsonValueKind.Array)
        {
            foreach (var transport in transports.EnumerateArray())
            {
                if (!TryGetString(transport, "transport", out var name))
                {
                    continue;
                }

                offered.Add(name);
                webSockets |= name == "WebSockets" && SupportsText(transport);
            }
        }

        if (!webSockets)
        {
            throw new HubConnectionException(
                "The hub does not offer the WebSockets transport with text frames, the only one this client supports " +
                $"(offered: {(offered.Count == 0 ? "none" : string.Join(", ", offered))}).");
        }

        var version = root.TryGetProperty("negotiateVersion", out var v) && v.TryGetInt32(out var n) ? n : 0;
        TryGetString(root, "connectionId", out var connectionId);
        var token = version >= 1 && TryGetString(root, "connectionToken", out var t) ? t : connectionId;
        if (string.IsNullOrEmpty(token))
        {
            throw new HubConnectionException(
                version >= 1
                    ? "The negotiate response has no connectionToken."
                    : "The negotiate response has no connectionId.");
        }

        return new NegotiationResult(url, token, connectionId, accessToken);
    }

    private static bool SupportsText(JsonElement transport) =>
        !transport.TryGetProperty("transferFormats", out var formats)
        || formats.ValueKind != JsonValueKind.Array
        || formats.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.String && f.GetString() == "Text");

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
