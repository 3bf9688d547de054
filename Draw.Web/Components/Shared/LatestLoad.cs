namespace Draw.Web.Components.Shared;

/// <summary>
/// A server-paged grid's loads, where a newer load makes an older one irrelevant: each load gets its own
/// token (the one before is cancelled), its result is applied only if no newer load started meanwhile,
/// and <see cref="Loading"/> follows the latest load.
/// </summary>
internal sealed class LatestLoad(CancellationToken lifetime) : IDisposable
{
    private CancellationTokenSource? current;

    public bool Loading { get; private set; }

    public async Task RunAsync<T>(Func<CancellationToken, Task<T>> load, Action<T> apply)
    {
        if (current is not null)
        {
            await current.CancelAsync();
        }

        var mine = current = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        Loading = true;
        try
        {
            var result = await load(mine.Token);
            if (ReferenceEquals(mine, current))
            {
                apply(result);
            }
        }
        catch (OperationCanceledException) when (mine.IsCancellationRequested)
        {
            // Superseded by a newer load, or the page closed.
        }
        finally
        {
            if (ReferenceEquals(mine, current))
            {
                Loading = false;
            }
        }
    }

    public void Dispose() => current?.Dispose();
}
