using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>Binds each options class to its section and validates it when the host starts.</summary>
public static class SettingsRegistration
{
    public static IServiceCollection AddDrawSetting<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }

    /// <summary>The settings both processes share: database, storage and the live channel.</summary>
    public static IServiceCollection AddDrawCommonSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDrawSetting<DatabaseOptions, DatabaseOptionsValidator>(configuration, DatabaseOptions.Section);
        services.AddDrawSetting<StorageOptions, StorageOptionsValidator>(configuration, StorageOptions.Section);
        services.AddDrawSetting<LiveOptions, LiveOptionsValidator>(configuration, LiveOptions.Section);
        services.AddSingleton<DataRoot>();
        services.AddSingleton<LiveKey>();
        return services;
    }
}
