using System.Text.Json;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// Handlers for server-to-client invocations, by method name (case-insensitive, as the .NET server dispatches).
/// Copy-on-write arrays: the dispatcher reads without locking. Registrations survive reconnects.
/// </summary>
internal sealed class HandlerRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Registration[]> _handlers = new(StringComparer.OrdinalIgnoreCase);

    public IDisposable Add(string method, Func<JsonElement[], Task> handler)
    {
        var registration = new Registration(this, method, handler);
        lock (_lock)
        {
            _handlers[method] = _handlers.TryGetValue(method, out var existing) ? [.. existing, registration] : [registration];
        }

        return registration;
    }

    public IReadOnlyList<Func<JsonElement[], Task>> Get(string method)
    {
        lock (_lock)
        {
            return _handlers.TryGetValue(method, out var registrations)
                ? Array.ConvertAll(registrations, r => r.Handler)
                : [];
        }
    }

    private void Remove(Registration registration)
    {
        lock (_lock)
        {
            if (!_handlers.TryGetValue(registration.Method, out var existing))
            {
                return;
            }

            var remaining = Array.FindAll(existing, r => !ReferenceEquals(r, registration));
            if (remaining.Length == 0)
            {
                _handlers.Remove(registration.Method);
            }
            else
            {
                _handlers[registration.Method] = remaining;
            }
        }
    }

    private sealed class Registration(HandlerRegistry owner, string method, Func<JsonElement[], Task> handler) : IDisposable
    {
        public string Method { get; } = method;

        public Func<JsonElement[], Task> Handler { get; } = handler;

        public void Dispose() => owner.Remove(this);
    }
}
