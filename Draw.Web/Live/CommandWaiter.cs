using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Live;

/// <summary>
/// Waits for a worker to complete a command the page queued (a test), reading the command's row:
/// the row is the durable answer, so a missed live event cannot lose it.
/// </summary>
internal sealed class CommandWaiter(IDbContextFactory<DrawDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    /// <summary>The completed command, or null when no worker completed it within <paramref name="timeout"/>.</summary>
    public async Task<WorkCommand?> WaitAsync(long commandId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            do
            {
                await using var db = await contexts.CreateDbContextAsync(limit.Token);
                if (await db.CompletedAsync(commandId, limit.Token) is { } done)
                {
                    return done;
                }
            }
            while (await timer.WaitForNextTickAsync(limit.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No worker answered in time.
        }

        return null;
    }
}
