using System.Threading.Channels;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// The state of one start-to-close lifetime of a <see cref="LiveHubClient"/>: the run loop (connect, watch, reconnect),
/// the handler dispatcher and the signals between them and <c>StopAsync</c>.
/// </summary>
internal sealed class ConnectionRun
{
    /// <summary>Cancelled by StopAsync or a cancelled start: ends connect attempts and backoff delays.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    /// <summary>Completes when the first connection is up, or fails when starting failed.</summary>
    public TaskCompletionSource FirstConnect { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Work for the application, run one item at a time in order: server-to-client invocations and the
    /// Reconnecting/Reconnected/Closed callbacks. Keeps application code off the receive and run loops.
    /// </summary>
    public Channel<Func<Task>> Dispatch { get; } = Channel.CreateUnbounded<Func<Task>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public Task RunTask { get; set; } = Task.CompletedTask;

    public Task DispatchTask { get; set; } = Task.CompletedTask;

    /// <summary>Set (under the client's lock) once StopAsync was called.</summary>
    public bool StopRequested { get; set; }

    /// <summary>Set (under the client's lock) once a first connection was established.</summary>
    public bool EverConnected { get; set; }

    /// <summary>Set (under the client's lock) when the start was cancelled before the first connection.</summary>
    public bool StartCancelled { get; set; }

    private int _finished;

    /// <summary>True for the first caller only: the run's final cleanup happens once.</summary>
    public bool TryMarkFinished() => Interlocked.Exchange(ref _finished, 1) == 0;
}
