using System.Security.Claims;
using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Index;

/// <summary>Send one series with one template.</summary>
public sealed record SendRequest(long SeriesId, long TemplateId);

/// <summary>What a request queued, and what it refused with the reason (per series).</summary>
public sealed record SeriesRequestResult(IReadOnlyList<long> Queued, IReadOnlyList<(long SeriesId, string Reason)> Refused);

/// <summary>
/// The dashboard's manual actions on series, as durable commands for the workers: send (choose a
/// template and queue), retry, cancel. Checks the user's role in the database first (the page hides the
/// buttons, this refuses anyway), then each series' status; the caller saves (with its events) and wakes the workers.
/// </summary>
public static class SeriesRequests
{
    public static async Task<SeriesRequestResult> SendAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, IReadOnlyCollection<SendRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(requests);
        var name = await db.RequireAsync(user, RoleAccess.Operators, "send series", cancellationToken);
        var templateIds = requests.Select(r => r.TemplateId).Distinct().ToList();
        var templates = await db.Templates.AsNoTracking().Where(t => templateIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        var statuses = await StatusesAsync(db, requests.Select(r => r.SeriesId), cancellationToken);
        var queued = new List<long>();
        var refused = new List<(long, string)>();
        foreach (var request in requests)
        {
            if (Refusal(request.SeriesId, statuses, SeriesActions.CanSend, "sent") is { } reason)
            {
                refused.Add((request.SeriesId, reason));
            }
            else if (!templates.Contains(request.TemplateId))
            {
                refused.Add((request.SeriesId, $"template {request.TemplateId} does not exist"));
            }
            else
            {
                db.Enqueue(time, WorkCommandKinds.ChooseTemplate, name, JsonSerializer.Serialize(new { seriesId = request.SeriesId, templateId = request.TemplateId }));
                queued.Add(request.SeriesId);
            }
        }

        return new SeriesRequestResult(queued, refused);
    }

    public static async Task<SeriesRequestResult> RetryAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, IReadOnlyCollection<long> seriesIds, CancellationToken cancellationToken) =>
        await QueueEachAsync(db, time, await db.RequireAsync(user, RoleAccess.Operators, "retry series", cancellationToken), seriesIds, WorkCommandKinds.RetrySeries, SeriesActions.CanRetry, "retried", cancellationToken);

    public static async Task<SeriesRequestResult> CancelAsync(this DrawDbContext db, TimeProvider time, ClaimsPrincipal user, IReadOnlyCollection<long> seriesIds, CancellationToken cancellationToken) =>
        await QueueEachAsync(db, time, await db.RequireAsync(user, RoleAccess.Operators, "cancel series", cancellationToken), seriesIds, WorkCommandKinds.CancelSeries, SeriesActions.CanCancel, "cancelled", cancellationToken);

    private static async Task<SeriesRequestResult> QueueEachAsync(
        DrawDbContext db, TimeProvider time, string user, IReadOnlyCollection<long> seriesIds, string kind, Func<SeriesStatus, bool> allowed, string verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(seriesIds);
        var statuses = await StatusesAsync(db, seriesIds, cancellationToken);
        var queued = new List<long>();
        var refused = new List<(long, string)>();
        foreach (var id in seriesIds.Distinct())
        {
            if (Refusal(id, statuses, allowed, verb) is { } reason)
            {
                refused.Add((id, reason));
            }
            else
            {
                db.Enqueue(time, kind, user, JsonSerializer.Serialize(new { seriesId = id }));
                queued.Add(id);
            }
        }

        return new SeriesRequestResult(queued, refused);
    }

    private static async Task<Dictionary<long, SeriesStatus>> StatusesAsync(DrawDbContext db, IEnumerable<long> seriesIds, CancellationToken cancellationToken)
    {
        var ids = seriesIds.Distinct().ToList();
        return await db.Series.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Status, cancellationToken);
    }

    private static string? Refusal(long seriesId, Dictionary<long, SeriesStatus> statuses, Func<SeriesStatus, bool> allowed, string verb) =>
        !statuses.TryGetValue(seriesId, out var status) ? $"series {seriesId} does not exist"
        : !allowed(status) ? $"series {seriesId} is {status.Display()} and cannot be {verb}"
        : null;
}
