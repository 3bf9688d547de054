using System.Security.Claims;
using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Series;

/// <summary>
/// What the series page's buttons do on the server: the user's request becomes WorkCommand rows (role
/// and status checked by <see cref="SeriesRequests"/>, which refuses a Viewer even if a button were
/// forced visible), committed with their events, then the workers are woken.
/// </summary>
internal sealed class SeriesCommandSender(IDbContextFactory<DrawDbContext> contexts, TimeProvider time, IEventPublisher publisher, WorkerWaker waker)
{
    public Task<SeriesRequestResult> SendAsync(ClaimsPrincipal user, IReadOnlyCollection<SendRequest> requests, CancellationToken cancellationToken) =>
        RunAsync(WorkCommandKinds.ChooseTemplate, db => db.SendAsync(time, user, requests, cancellationToken), cancellationToken);

    public Task<SeriesRequestResult> RetryAsync(ClaimsPrincipal user, IReadOnlyCollection<long> seriesIds, CancellationToken cancellationToken) =>
        RunAsync(WorkCommandKinds.RetrySeries, db => db.RetryAsync(time, user, seriesIds, cancellationToken), cancellationToken);

    public Task<SeriesRequestResult> CancelAsync(ClaimsPrincipal user, IReadOnlyCollection<long> seriesIds, CancellationToken cancellationToken) =>
        RunAsync(WorkCommandKinds.CancelSeries, db => db.CancelAsync(time, user, seriesIds, cancellationToken), cancellationToken);

    private async Task<SeriesRequestResult> RunAsync(string kind, Func<DrawDbContext, Task<SeriesRequestResult>> request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var result = await request(db);
        if (result.Queued.Count > 0)
        {
            await db.SaveAndPublishAsync(publisher, cancellationToken);
            await waker.WakeAsync(kind);
        }

        return result;
    }
}
