using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Draw.Cli;

/// <summary>
/// The services a CLI command needs, configured exactly as the worker is: Draw__Section__Key
/// environment variables (and an optional appsettings.json in the current folder).
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddDrawCommonSettings(configuration);
        services.AddDrawDatabase();
        services.AddDrawIdentityCore();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        // Settings are checked up front so a bad value is reported before anything is touched.
        _ = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        return provider;
    }
}
