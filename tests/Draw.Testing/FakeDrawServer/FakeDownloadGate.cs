namespace Draw.Testing.FakeDraw;

/// <summary>
/// Holds RTSTRUCT downloads half-sent while closed, so a test can cut a transfer off at a known point
/// (a worker killed mid-download) instead of hoping a kill lands inside a few milliseconds.
/// </summary>
public sealed class FakeDownloadGate
{
    private readonly Lock sync = new();
    private TaskCompletionSource? closed;
    private int held;

    /// <summary>Downloads that have waited at the closed gate, over the server's life.</summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>From now on, downloads send half their body and wait.</summary>
    public void Close()
    {
        lock (sync)
        {
            closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets waiting downloads (whose client is still there) and later ones finish.</summary>
    public void Open()
    {
        TaskCompletionSource? waiting;
        lock (sync)
        {
            waiting = closed;
            closed = null;
        }

        waiting?.TrySetResult();
    }

    internal async Task PassAsync(CancellationToken requestAborted)
    {
        Task? wait;
        lock (sync)
        {
            wait = closed?.Task;
        }

        if (wait is not null)
        {
            Interlocked.Increment(ref held);
            await wait.WaitAsync(requestAborted);
        }
    }
}
