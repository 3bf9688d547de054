using System.Net;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>Builds validation failures that name the exact configuration key.</summary>
internal static class SettingError
{
    public static string Of(string section, string key, string problem) => $"{section}:{key} {problem}";

    public static string PortProblem(int port) => $"must be a TCP port from 1 to 65535 (got {port}).";

    public static bool IsPort(int port) => port is >= 1 and <= 65535;
}

public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!DatabaseProviders.IsKnown(options.Provider))
        {
            return ValidateOptionsResult.Fail(SettingError.Of(DatabaseOptions.Section, nameof(options.Provider),
                $"must be '{DatabaseProviders.Sqlite}' or '{DatabaseProviders.PostgreSql}' (got '{options.Provider}')."));
        }

        if (DatabaseProviders.IsPostgreSql(options.Provider) && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(SettingError.Of(DatabaseOptions.Section, nameof(options.ConnectionString),
                "is required when the provider is PostgreSql."));
        }

        return ValidateOptionsResult.Success;
    }
}

public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.DataRoot)
            ? ValidateOptionsResult.Fail(SettingError.Of(StorageOptions.Section, nameof(options.DataRoot), "must name a folder."))
            : ValidateOptionsResult.Success;
    }
}

public sealed class ListenerOptionsValidator : IValidateOptions<ListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, ListenerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!SettingError.IsPort(options.Port))
        {
            failures.Add(SettingError.Of(ListenerOptions.Section, nameof(options.Port), SettingError.PortProblem(options.Port)));
        }

        if (!IsAeTitle(options.AeTitle))
        {
            failures.Add(SettingError.Of(ListenerOptions.Section, nameof(options.AeTitle),
                "must be 1 to 16 characters of printable ASCII without backslash, not all spaces."));
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add(SettingError.Of(ListenerOptions.Section, nameof(options.BindAddress),
                $"must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{options.BindAddress}')."));
        }

        if (options.MaxAssociations is < 1 or > 1000)
        {
            failures.Add(SettingError.Of(ListenerOptions.Section, nameof(options.MaxAssociations), $"must be from 1 to 1000 (got {options.MaxAssociations})."));
        }

        foreach (var peer in options.AllowedPeers.Where(p => !IPNetwork.TryParse(p, out _) && !IPAddress.TryParse(p, out _)))
        {
            failures.Add(SettingError.Of(ListenerOptions.Section, nameof(options.AllowedPeers), $"holds '{peer}', which is neither an IP address nor a network such as 10.1.0.0/16."));
        }

        foreach (var title in options.AllowedCallingAeTitles.Where(t => !IsAeTitle(t)))
        {
            failures.Add(SettingError.Of(ListenerOptions.Section, nameof(options.AllowedCallingAeTitles), $"holds '{title}', which is not a valid AE title."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>PS3.5 AE VR: up to 16 characters of the default repertoire, no backslash or control characters.</summary>
    public static bool IsAeTitle(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 16 && value.All(c => c is >= ' ' and <= '~' and not '\\');
}

public sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.HubUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ValidateOptionsResult.Fail(SettingError.Of(LiveOptions.Section, nameof(options.HubUrl),
                $"must be an absolute http or https URL (got '{options.HubUrl}')."));
        }

        if (options.SharedKey is { Length: > 0 and < 16 })
        {
            return ValidateOptionsResult.Fail(SettingError.Of(LiveOptions.Section, nameof(options.SharedKey),
                "must be at least 16 characters, or empty to use the key file under the data root."));
        }

        return ValidateOptionsResult.Success;
    }
}

public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.HeartbeatSeconds is < 1 or > 60)
        {
            failures.Add(SettingError.Of(WorkerOptions.Section, nameof(options.HeartbeatSeconds), $"must be from 1 to 60 (got {options.HeartbeatSeconds})."));
        }

        if (!SettingError.IsPort(options.HealthPort))
        {
            failures.Add(SettingError.Of(WorkerOptions.Section, nameof(options.HealthPort), SettingError.PortProblem(options.HealthPort)));
        }

        if (options.PollSeconds is < 1 or > 300)
        {
            failures.Add(SettingError.Of(WorkerOptions.Section, nameof(options.PollSeconds), $"must be from 1 to 300 (got {options.PollSeconds})."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
