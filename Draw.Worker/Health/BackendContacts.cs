using System.Collections.Concurrent;
using Draw.Domain.Work;

namespace Draw.Worker.Health;

/// <summary>
/// Each backend's last successful and last failed contact as this worker saw them; published with
/// every heartbeat so the board shows backend health without calling the backend itself.
/// </summary>
internal sealed class BackendContacts(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, BackendContact> contacts = new(StringComparer.OrdinalIgnoreCase);

    public void Succeeded(string backend, string operation)
    {
        var now = time.GetUtcNow().UtcDateTime;
        contacts.AddOrUpdate(
            backend,
            _ => new BackendContact(backend, now, null, null, operation),
            (_, last) => last with { LastSuccessAt = now, LastOperation = operation });
    }

    public void Failed(string backend, string operation, string error)
    {
        var now = time.GetUtcNow().UtcDateTime;
        contacts.AddOrUpdate(
            backend,
            _ => new BackendContact(backend, null, now, error, operation),
            (_, last) => last with { LastFailureAt = now, LastError = error, LastOperation = operation });
    }

    /// <summary>Every backend named so far (registered ones start with no contact), by name.</summary>
    public IReadOnlyList<BackendContact> Snapshot(IEnumerable<string> known)
    {
        foreach (var name in known)
        {
            contacts.TryAdd(name, new BackendContact(name, null, null, null, null));
        }

        return [.. contacts.Values.OrderBy(c => c.Backend, StringComparer.OrdinalIgnoreCase)];
    }
}
