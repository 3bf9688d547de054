using System.Diagnostics;
using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Segmentation;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Draw.Worker.Pipeline;

namespace Draw.Worker.Commands;

/// <summary>
/// "Test connection" on the settings page: asks a backend (or every backend) for its health and its
/// model catalogue, from the worker that will really call it, and records each answer in the
/// command's result and a backend.tested event. An unreachable backend is a result, not a failure
/// of the command; an unknown backend name is.
/// </summary>
internal sealed class BackendTestHandler(BackendRegistry backends, WorkerIdentity identity, TimeProvider time) : ICommandHandler
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public string Kind => WorkCommandKinds.TestBackend;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(db);
        using var payload = JsonDocument.Parse(command.Payload);
        var name = payload.RootElement.TryGetProperty("backend", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        var names = name is null ? backends.Names : backends.Names.Where(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException($"No backend named '{name}' is configured on worker {identity.Host} (known: {string.Join(", ", backends.Names)}).");
        }

        var checks = new List<BackendCheck>();
        foreach (var backend in names.Select(n => backends.Find(n)!))
        {
            checks.Add(await CheckAsync(backend, cancellationToken));
        }

        command.Result = CommandResults.Serialize(checks);
        db.Append(time, EventKinds.BackendTested, new { command = command.Id, results = checks.Select(c => new { c.Backend, c.State, c.Milliseconds }), worker = identity.Id });
    }

    private async Task<BackendCheck> CheckAsync(ISegmentationBackend backend, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var clock = Stopwatch.StartNew();
        try
        {
            var health = await backend.CheckHealthAsync(limit.Token);
            if (health.State == BackendHealthState.Unavailable)
            {
                return Result(backend, health.State.ToString(), health.Detail ?? "the backend is unavailable", clock);
            }

            var catalogue = await backend.GetCatalogueJsonAsync(limit.Token);
            var detail = $"health {health.State}{(health.Detail is null ? "" : $" ({health.Detail})")}; model catalogue {catalogue.Length} characters";
            return Result(backend, health.State.ToString(), detail, clock);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(backend, nameof(BackendHealthState.Unavailable), $"no answer within {Limit.TotalSeconds:0} s", clock);
        }
        catch (Exception ex) when (ex is BackendException or HttpRequestException or IOException)
        {
            return Result(backend, nameof(BackendHealthState.Unavailable), ex.Message, clock);
        }
    }

    private BackendCheck Result(ISegmentationBackend backend, string state, string detail, Stopwatch clock) =>
        new(backend.Name, state, detail, clock.ElapsedMilliseconds, identity.Id);
}
