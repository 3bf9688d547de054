using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Live.HubClient;

public static class LiveHubClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="LiveHubClient"/> with options bound from <paramref name="section"/> (e.g.
    /// <c>Live:Hub</c>) and then adjusted by <paramref name="configure"/> (e.g. to add the shared-key header from a
    /// secret). The container disposes the client. Nothing connects until the application calls a start method.
    /// </summary>
    public static IServiceCollection AddLiveHubClient(
        this IServiceCollection services, IConfiguration section, Action<LiveHubClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = services.AddOptions<LiveHubClientOptions>().Bind(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new LiveHubClient(
            provider.GetRequiredService<IOptions<LiveHubClientOptions>>().Value,
            provider.GetService<ILogger<LiveHubClient>>()));
        return services;
    }
}
