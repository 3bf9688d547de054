using System.Collections.Concurrent;

namespace Draw.Worker.Health;

/// <summary>The state of each of the worker's services, reported by /health and the heartbeat.</summary>
internal sealed class ServiceStates
{
    private readonly ConcurrentDictionary<string, string> states = new(StringComparer.Ordinal);

    public void Set(string service, string state) => states[service] = state;

    public IReadOnlyDictionary<string, string> Snapshot() =>
        new SortedDictionary<string, string>(states, StringComparer.Ordinal);

    public bool AnyFailed => states.Values.Any(s => s.StartsWith(ServiceState.Failed, StringComparison.Ordinal));
}

internal static class ServiceState
{
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Disabled = "disabled";
    public const string Connecting = "connecting";
    public const string Failed = "failed";

    public static string FailedBecause(string reason) => $"{Failed}: {reason}";
}
