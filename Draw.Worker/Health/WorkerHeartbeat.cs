using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Health;

/// <summary>
/// Keeps this worker's row in WorkerInstances current: registered at start (with an event),
/// touched on every beat, marked stopped on a graceful shutdown (with an event).
/// </summary>
internal sealed class WorkerHeartbeat(
    IDbContextFactory<DrawDbContext> contexts,
    WorkerIdentity identity,
    ServiceStates services,
    IEventPublisher publisher,
    TimeProvider time)
{
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        db.WorkerInstances.Add(new WorkerInstance
        {
            Id = identity.Id,
            Host = identity.Host,
            Version = identity.Version,
            ProcessId = identity.ProcessId,
            StartedAt = now,
            LastSeenAt = now,
            Services = ServicesJson(),
        });
        db.Append(time, EventKinds.WorkerStarted, new { worker = identity.Id, host = identity.Host, version = identity.Version });
        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var servicesJson = ServicesJson();
        await db.WorkerInstances
            .Where(w => w.Id == identity.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.Services, servicesJson), cancellationToken);
    }

    public async Task MarkStoppedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var instance = await db.WorkerInstances.FindAsync([identity.Id], cancellationToken);
        if (instance is null)
        {
            return;
        }

        instance.StoppedAt = time.GetUtcNow().UtcDateTime;
        db.Append(time, EventKinds.WorkerStopped, new { worker = identity.Id, host = identity.Host });
        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    private string ServicesJson() => JsonSerializer.Serialize(services.Snapshot());
}
