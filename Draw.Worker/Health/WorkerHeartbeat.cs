using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Health;

/// <summary>
/// Keeps this worker's row in WorkerInstances current: registered at start (with an event),
/// touched on every beat, marked stopped on a graceful shutdown (with an event). With a
/// <see cref="WorkerSelfReport"/> it also publishes its settings (at start), and its data root's
/// free space and backend contacts (every beat).
/// </summary>
internal sealed class WorkerHeartbeat(
    IDbContextFactory<DrawDbContext> contexts,
    WorkerIdentity identity,
    ServiceStates services,
    IEventPublisher publisher,
    TimeProvider time,
    WorkerSelfReport? report = null)
{
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var space = report?.Space();
        db.WorkerInstances.Add(new WorkerInstance
        {
            Id = identity.Id,
            Host = identity.Host,
            Version = identity.Version,
            ProcessId = identity.ProcessId,
            StartedAt = now,
            LastSeenAt = now,
            Services = ServicesJson(),
            DataRootPath = report?.DataRootPath,
            DataRootFreeBytes = space?.Free,
            DataRootTotalBytes = space?.Total,
            Backends = report?.BackendsJson() ?? "[]",
            Configuration = report?.SettingsJson() ?? "[]",
        });
        db.Append(time, EventKinds.WorkerStarted, new { worker = identity.Id, host = identity.Host, version = identity.Version });
        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var servicesJson = ServicesJson();
        var space = report?.Space();
        long? free = space?.Free;
        long? total = space?.Total;
        var backendsJson = report?.BackendsJson() ?? "[]";
        await db.WorkerInstances
            .Where(w => w.Id == identity.Id)
            .ExecuteUpdateAsync(
                set => set.SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.Services, servicesJson)
                    .SetProperty(w => w.DataRootFreeBytes, free)
                    .SetProperty(w => w.DataRootTotalBytes, total)
                    .SetProperty(w => w.Backends, backendsJson),
                cancellationToken);
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
