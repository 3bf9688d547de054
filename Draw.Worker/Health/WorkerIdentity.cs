using System.Reflection;

namespace Draw.Worker.Health;

/// <summary>Who this worker process is: a fresh id per start, with host, process and version.</summary>
internal sealed class WorkerIdentity
{
    public string Id { get; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public string Host { get; } = Environment.MachineName;

    public int ProcessId { get; } = Environment.ProcessId;

    public string Version { get; } =
        typeof(WorkerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
