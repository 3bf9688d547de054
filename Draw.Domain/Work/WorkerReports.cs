using System.Text.Json;

namespace Draw.Domain.Work;

/// <summary>A backend as one worker last reached it: when a call last succeeded, when one last failed and why.</summary>
public sealed record BackendContact(string Backend, DateTime? LastSuccessAt, DateTime? LastFailureAt, string? LastError, string? LastOperation)
{
    /// <summary>Healthy when the latest contact succeeded; failing when the latest failed; unknown before any contact.</summary>
    public BackendContactState State =>
        LastSuccessAt is null && LastFailureAt is null ? BackendContactState.Unknown
        : LastFailureAt is null || (LastSuccessAt is { } ok && ok >= LastFailureAt) ? BackendContactState.Healthy
        : BackendContactState.Failing;
}

public enum BackendContactState
{
    Unknown,
    Healthy,
    Failing,
}

/// <summary>
/// One effective setting of a worker: its section and key, its value (secrets masked), and the
/// environment variable that sets it (Draw__Section__Key).
/// </summary>
public sealed record SettingEntry(string Section, string Key, string? Value, bool Secret = false)
{
    public string EnvironmentVariable => $"Draw__{Section}__{Key.Replace(":", "__", StringComparison.Ordinal)}";
}

/// <summary>What a worker publishes about itself beside its heartbeat: JSON in its WorkerInstances row.</summary>
public static class WorkerReports
{
    /// <summary>What the page shows for a secret that is set; nothing of the secret itself.</summary>
    public const string MaskedValue = "•••••••• (set)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Masked(string? secret) => string.IsNullOrEmpty(secret) ? "" : MaskedValue;

    public static string Serialize<T>(IReadOnlyList<T> items) => JsonSerializer.Serialize(items, Json);

    /// <summary>Reads a JSON array written by <see cref="Serialize{T}"/>; an unreadable or empty value reads as none.</summary>
    public static IReadOnlyList<T> Parse<T>(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<T>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static IReadOnlyDictionary<string, string> ParseServices(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }
}
