using System.Collections.Concurrent;

namespace Draw.Dicom.Network.Transport;

/// <summary>
/// Runs one association's asynchronous code on a thread of its own: continuations are posted back to that thread
/// (a single-threaded synchronization context), so the association's socket reads, file writes and DIMSE replies
/// never hop between threads. Associations are few and long (a bounded number at once), so a thread each is cheap;
/// a hop per message is not (see <see cref="BlockingSocketStream"/>).
/// </summary>
internal static class AssociationThread
{
    /// <summary>Starts <paramref name="body"/> on a new background thread; the task completes when it has.</summary>
    public static Task Start(string name, Func<Task> body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(body, done))
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private static void Run(Func<Task> body, TaskCompletionSource done)
    {
        var previous = SynchronizationContext.Current;
        using var context = new PumpContext();
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            var task = body();
            task.ContinueWith(static (_, state) => ((PumpContext)state!).Complete(), context, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            context.RunUntilComplete();
            task.GetAwaiter().GetResult();
            done.SetResult();
        }
        catch (Exception ex)
        {
            done.SetException(ex);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>Queues posted continuations and runs them on the owning thread until told to stop.</summary>
    private sealed class PumpContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                _queue.Add((d, state));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // The association has finished: a late continuation (a timer, say) runs where it was raised.
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("an association's context takes posts only");

        public override SynchronizationContext CreateCopy() => this;

        public void Complete() => _queue.CompleteAdding();

        public void RunUntilComplete()
        {
            foreach (var (callback, state) in _queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        }

        public void Dispose() => _queue.Dispose();
    }
}
