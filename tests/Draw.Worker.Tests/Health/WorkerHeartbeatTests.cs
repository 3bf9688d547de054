using Draw.Domain.Work;
using Draw.Testing.Database;
using Draw.Worker.Health;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Draw.Worker.Tests.Health;

public sealed class WorkerHeartbeatTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_worker_registers_beats_and_stops_and_its_liveness_follows(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var identity = new WorkerIdentity();
        var states = new ServiceStates();
        states.Set("commands", ServiceState.Running);
        var publisher = new RecordingPublisher();
        var heartbeat = new WorkerHeartbeat(database.Factory, identity, states, publisher, time);

        await heartbeat.RegisterAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(WorkerLiveness.Stale, (await LoadAsync(database, identity)).LivenessAt(time.GetUtcNow().UtcDateTime));

        states.Set("live", ServiceState.FailedBecause("hub down"));
        await heartbeat.BeatAsync(CancellationToken.None);
        var beaten = await LoadAsync(database, identity);
        Assert.Equal(WorkerLiveness.Live, beaten.LivenessAt(time.GetUtcNow().UtcDateTime));
        Assert.Equal(time.GetUtcNow().UtcDateTime, beaten.LastSeenAt);
        Assert.Contains("\"live\":\"failed: hub down\"", beaten.Services, StringComparison.Ordinal);

        await heartbeat.MarkStoppedAsync(CancellationToken.None);
        Assert.Equal(WorkerLiveness.Stopped, (await LoadAsync(database, identity)).LivenessAt(time.GetUtcNow().UtcDateTime));
        Assert.Equal([EventKinds.WorkerStarted, EventKinds.WorkerStopped], publisher.Published.SelectMany(p => p).Select(e => e.Kind));
    }

    private static async Task<WorkerInstance> LoadAsync(TestDatabase database, WorkerIdentity identity)
    {
        await using var db = database.CreateContext();
        return await db.WorkerInstances.AsNoTracking().SingleAsync(w => w.Id == identity.Id);
    }
}
