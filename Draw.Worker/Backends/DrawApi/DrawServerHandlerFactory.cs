using System.Net;
using Draw.Domain.Settings;

namespace Draw.Worker.Backends.DrawApi;

/// <summary>The primary handler of the DRAW server's HttpClient: proxy, connect timeout, connection lifetime.</summary>
public static class DrawServerHandlerFactory
{
    public static SocketsHttpHandler Create(DrawServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            AllowAutoRedirect = false,
        };

        var proxy = options.Proxy ?? new DrawServerProxyOptions();
        if (proxy.Disabled)
        {
            handler.UseProxy = false;
            handler.Proxy = null;
        }
        else if (!string.IsNullOrWhiteSpace(proxy.Address))
        {
            handler.UseProxy = true;
            handler.Proxy = BuildProxy(proxy);
        }

        // Otherwise the default: the system proxy from HTTP_PROXY, HTTPS_PROXY and NO_PROXY.
        return handler;
    }

    public static WebProxy BuildProxy(DrawServerProxyOptions proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var webProxy = new WebProxy(new Uri(proxy.Address!, UriKind.Absolute), proxy.BypassOnLocal, [.. proxy.BypassList ?? []]);
        if (!string.IsNullOrEmpty(proxy.Username))
        {
            webProxy.Credentials = string.IsNullOrEmpty(proxy.Domain)
                ? new NetworkCredential(proxy.Username, proxy.Password ?? "")
                : new NetworkCredential(proxy.Username, proxy.Password ?? "", proxy.Domain);
        }

        return webProxy;
    }
}
