using System.Globalization;
using System.Text.Json;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// Invocations of one connection that await their Completion. When the connection ends, every pending invocation
/// fails with a <see cref="HubConnectionException"/> and new registrations are refused.
/// </summary>
internal sealed class PendingInvocations
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _pending = new(StringComparer.Ordinal);
    private long _nextId;
    private bool _closed;
    private Exception? _closedBecause;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Allocates an invocation id and the task that completes with the result.</summary>
    public (string InvocationId, Task<JsonElement?> Result) Register(string method)
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw Lost(method, _closedBecause);
            }

            var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
            var entry = new Entry(method, new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously));
            _pending.Add(id, entry);
            return (id, entry.Completion.Task);
        }
    }

    /// <summary>Completes the matching invocation; false when no invocation with that id is pending.</summary>
    public bool TryComplete(CompletionMessage completion)
    {
        Entry? entry;
        lock (_lock)
        {
            if (!_pending.Remove(completion.InvocationId, out entry))
            {
                return false;
            }
        }

        if (completion.Error is not null)
        {
            entry.Completion.TrySetException(new HubInvocationException(entry.Method, completion.Error));
        }
        else
        {
            entry.Completion.TrySetResult(completion.Result);
        }

        return true;
    }

    /// <summary>Forgets an invocation whose caller gave up (cancelled or failed to send).</summary>
    public void Remove(string invocationId)
    {
        lock (_lock)
        {
            _pending.Remove(invocationId);
        }
    }

    /// <summary>Fails every pending invocation and refuses new ones.</summary>
    public void FailAll(Exception? cause)
    {
        Entry[] entries;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _closedBecause = cause;
            entries = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var entry in entries)
        {
            entry.Completion.TrySetException(Lost(entry.Method, cause));
        }
    }

    private static HubConnectionException Lost(string method, Exception? cause) =>
        new($"The connection to the hub was lost before the invocation of '{method}' completed.", cause);

    private sealed record Entry(string Method, TaskCompletionSource<JsonElement?> Completion);
}
