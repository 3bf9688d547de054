using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Draw.Web.Components.Shared;

namespace Draw.Web.Components.Pages.Board;

/// <summary>
/// The live board: workers, listener, backends and disk space; series per status and jobs per step
/// with their oldest waiting age; throughput per hour; the latest events. Events are pushed (the
/// notifier) and a gap in event ids is filled from the change feed; counts are re-read when series
/// or job events arrive (throttled), throughput is counted from the events themselves, and the
/// worker rows (heartbeats, disk, backends) are re-read every five seconds.
/// </summary>
public sealed partial class Board
{
    public const int EventCount = 50;
    private static readonly TimeSpan AggregateGap = TimeSpan.FromMilliseconds(300);

    private readonly CancellationTokenSource lifetime = new();
    private readonly ThroughputBuckets throughput = new(24);
    private List<WorkerInstance> workers = [];
    private List<EventRecord> events = [];
    private IReadOnlyList<StatusCount> statusCounts = [];
    private IReadOnlyList<StepCount> stepCounts = [];
    private IReadOnlyList<ThroughputHour> hours = [];
    private DateTime now;
    private IDisposable? subscription;
    private Throttle? aggregates;
    private long lastEventId;

    [Inject]
    private IDbContextFactory<DrawDbContext> Contexts { get; set; } = default!;

    [Inject]
    private LiveEventNotifier Notifier { get; set; } = default!;

    [Inject]
    private WorkerWaker Waker { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private Radzen.NotificationService Notifications { get; set; } = default!;

    [Inject]
    private ILogger<Board> Logger { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        now = Time.GetUtcNow().UtcDateTime;
        await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
        events = await db.LatestAsync(EventCount, lifetime.Token);
        lastEventId = events.Count > 0 ? events[0].Id : 0;
        workers = await LoadWorkersAsync(db);
        statusCounts = await db.StatusCountsAsync(lifetime.Token);
        stepCounts = await db.StepCountsAsync(lifetime.Token);
        throughput.AddRange(await db.ThroughputEventsAsync(ThroughputBuckets.HourOf(now).AddHours(-23), lifetime.Token));
        hours = throughput.Window(now);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            aggregates = new Throttle(AggregateGap, Time, RefreshAggregatesAsync, ex => BoardLog.RefreshFailed(Logger, ex), lifetime.Token);
            subscription = Notifier.Subscribe(incoming => InvokeAsync(() => TakeAsync(incoming)));
            _ = TickAsync();
        }
    }

    private async Task TakeAsync(IReadOnlyList<LiveEvent> incoming)
    {
        var fresh = incoming.Where(e => e.Id > lastEventId).OrderBy(e => e.Id).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        if (fresh[0].Id > lastEventId + 1)
        {
            // Something was committed without reaching us (a worker offline from the hub): catch up.
            await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
            Merge(await db.SinceAsync(lastEventId, EventCount, lifetime.Token));
        }

        Merge(fresh.Select(e => new EventRecord { Id = e.Id, Time = e.Time, Kind = e.Kind, SeriesId = e.SeriesId, Payload = e.Payload }));
        if (fresh.Any(e => e.Kind.StartsWith("worker.", StringComparison.Ordinal)))
        {
            await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
            workers = await LoadWorkersAsync(db);
        }

        StateHasChanged();
    }

    /// <summary>Adds events to the list, the throughput and (when they change counts) asks for fresh counts.</summary>
    private void Merge(IEnumerable<EventRecord> arrived)
    {
        var byId = events.ToDictionary(e => e.Id);
        var countsChanged = false;
        foreach (var record in arrived)
        {
            byId[record.Id] = record;
            throughput.Add(LiveEvent.From(record));
            countsChanged |= record.Kind.StartsWith("series.", StringComparison.Ordinal) || record.Kind.StartsWith("job.", StringComparison.Ordinal);
        }

        events = [.. byId.Values.OrderByDescending(e => e.Id).Take(EventCount)];
        lastEventId = events.Count > 0 ? Math.Max(lastEventId, events[0].Id) : lastEventId;
        hours = throughput.Window(Time.GetUtcNow().UtcDateTime);
        if (countsChanged)
        {
            aggregates?.Request();
        }
    }

    private async Task RefreshAggregatesAsync(CancellationToken cancellationToken)
    {
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        var statuses = await db.StatusCountsAsync(cancellationToken);
        var steps = await db.StepCountsAsync(cancellationToken);
        await InvokeAsync(() =>
        {
            statusCounts = statuses;
            stepCounts = steps;
            StateHasChanged();
        });
    }

    /// <summary>Ages tick every second; the worker rows are re-read every five.</summary>
    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(lifetime.Token))
            {
                List<WorkerInstance>? reloaded = null;
                List<EventRecord>? missed = null;
                if (++ticks % 5 == 0)
                {
                    // Push is best effort: re-read workers and catch up on any event not pushed.
                    await using var db = await Contexts.CreateDbContextAsync(lifetime.Token);
                    reloaded = await LoadWorkersAsync(db);
                    missed = await db.SinceAsync(lastEventId, EventCount, lifetime.Token);
                }

                await InvokeAsync(() =>
                {
                    now = Time.GetUtcNow().UtcDateTime;
                    workers = reloaded ?? workers;
                    if (missed is { Count: > 0 })
                    {
                        Merge(missed);
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    private async Task PingWorkersAsync()
    {
        var (name, refusal) = await Contexts.CheckAccessAsync(AuthenticationState, Domain.Users.RoleAccess.Operators, "ping the workers");
        if (name is null)
        {
            Notifications.Notify(Radzen.NotificationSeverity.Error, "Not allowed", refusal);
            return;
        }

        await using (var db = await Contexts.CreateDbContextAsync(lifetime.Token))
        {
            db.Enqueue(Time, WorkCommandKinds.Ping, name);
            await db.SaveAndPublishAsync(Notifier, lifetime.Token);
        }

        await Waker.WakeAsync(WorkCommandKinds.Ping);
        Notifications.Notify(Radzen.NotificationSeverity.Info, "Ping queued", "Workers answer on the event list.");
    }

    private async Task<List<WorkerInstance>> LoadWorkersAsync(DrawDbContext db)
    {
        var since = Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(1);
        return await db.WorkerInstances.AsNoTracking()
            .Where(w => w.StoppedAt == null || w.StoppedAt > since)
            .OrderByDescending(w => w.StartedAt)
            .Take(20)
            .ToListAsync(lifetime.Token);
    }

    /// <summary>Workers whose reports are current: not stopped and not stale.</summary>
    private IReadOnlyList<WorkerInstance> LiveWorkers => [.. workers.Where(w => w.LivenessAt(now) == WorkerLiveness.Live)];

    public async ValueTask DisposeAsync()
    {
        subscription?.Dispose();
        await lifetime.CancelAsync();
        lifetime.Dispose();
    }
}

internal static partial class BoardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The board could not refresh its counts; it tries again at the next event")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);
}
