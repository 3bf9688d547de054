using System.Net.Http.Headers;
using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Backends.DrawApi;

public static class DrawApiRegistration
{
    /// <summary>
    /// The DRAW server backend: its options (Draw:DrawServer, validated at start-up), Data Protection
    /// with the web's keys (secrets/data-protection, application "DRAW"), the encrypted token store
    /// and the typed HttpClient, also registered as an <see cref="ISegmentationBackend"/>.
    /// Expects <see cref="DataRoot"/> and <see cref="TimeProvider"/> registered (the worker does).
    /// </summary>
    public static IServiceCollection AddDrawServerBackend(this IServiceCollection services, IConfiguration configuration, DataRoot dataRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(dataRoot);
        services.AddDrawSetting<DrawServerOptions, DrawServerOptionsValidator>(configuration, DrawServerOptions.Section);
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataRoot.Secrets, "data-protection")))
            .SetApplicationName("DRAW");
        services.TryAddSingleton<ITokenProtector, DataProtectionTokenProtector>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DrawServerTokenManager(
            sp.GetRequiredService<IOptions<DrawServerOptions>>(),
            new TokenStore(dataRoot.Secrets, DrawServerClient.BackendName, sp.GetRequiredService<ITokenProtector>()),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DrawServerTokenManager>>()));

        services.AddHttpClient<DrawServerClient>(DrawServerClient.HttpClientName, http =>
            {
                // Each call applies its own timeout (requests vs transfers) and the caller's cancellation.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("DRAW", typeof(DrawServerClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
            })
            .ConfigurePrimaryHttpMessageHandler(sp => DrawServerHandlerFactory.Create(sp.GetRequiredService<IOptions<DrawServerOptions>>().Value));
        if (configuration.GetValue<bool>($"{DrawServerOptions.Section}:{nameof(DrawServerOptions.Enabled)}"))
        {
            services.AddTransient<ISegmentationBackend>(sp => sp.GetRequiredService<DrawServerClient>());
        }

        return services;
    }
}
