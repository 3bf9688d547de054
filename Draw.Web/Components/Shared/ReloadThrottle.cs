namespace Draw.Web.Components.Shared;

/// <summary>
/// At most one reload per interval however many live events ask for one: the first request waits the
/// interval and runs the reload; requests arriving meanwhile join it.
/// </summary>
internal sealed class ReloadThrottle(TimeSpan interval, TimeProvider time, CancellationToken lifetime)
{
    private int scheduled;

    public async Task RequestAsync(Func<Task> reload)
    {
        ArgumentNullException.ThrowIfNull(reload);
        if (Interlocked.Exchange(ref scheduled, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.Delay(interval, time, lifetime);
            Interlocked.Exchange(ref scheduled, 0);
            await reload();
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The page closed.
        }
    }
}
