namespace Draw.Web.Components.Pages.Board;

/// <summary>
/// Runs an action at most once per <c>gap</c> however often it is requested: requests during the
/// wait or the run coalesce into one more run. Keeps the board's aggregate queries bounded when
/// events arrive by the hundred per second.
/// </summary>
internal sealed class Throttle(TimeSpan gap, TimeProvider time, Func<CancellationToken, Task> action, Action<Exception> failed, CancellationToken lifetime)
{
    private readonly Lock gate = new();
    private bool active;
    private bool pending;

    public void Request()
    {
        lock (gate)
        {
            if (active)
            {
                pending = true;
                return;
            }

            active = true;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                // Waiting first lets a burst of events collapse into one run.
                await Task.Delay(gap, time, lifetime);
                lock (gate)
                {
                    pending = false;
                }

                await action(lifetime);
                lock (gate)
                {
                    if (!pending)
                    {
                        active = false;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
        catch (Exception ex)
        {
            lock (gate)
            {
                active = false;
            }

            failed(ex);
        }
    }
}
