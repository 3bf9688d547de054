using Draw.Domain.Export;
using Draw.Domain.Work;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Export;

public sealed class DeliveryQueueTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_instance_gets_one_delivery_per_destination_until_a_person_asks_for_a_re_export(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var destination = await db.ExportDestinations.SingleAsync();
        var request = new DeliveryRequest(destination.Id, "1.2.3.4", "/results/a.dcm", "harvest");

        var (first, created) = await db.EnsureDeliveryAsync(TimeProvider.System, request, CancellationToken.None);
        await db.SaveChangesAsync();
        var (again, createdAgain) = await db.EnsureDeliveryAsync(TimeProvider.System, request with { SourcePath = "/elsewhere/copy.dcm" }, CancellationToken.None);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, again.Id);
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.RequestReexportAsync(TimeProvider.System, destination.Id, "1.2.3.4", "physicist", CancellationToken.None));

        first.State = DeliveryState.Delivered;
        await db.SaveChangesAsync();
        var reexport = await db.RequestReexportAsync(TimeProvider.System, destination.Id, "1.2.3.4", "physicist", CancellationToken.None);
        await db.SaveChangesAsync();

        Assert.Equal((1, DeliveryState.Pending, "physicist", "/results/a.dcm"), (reexport.Sequence, reexport.State, reexport.RequestedBy, reexport.SourcePath));
        Assert.Equal(2, await db.ExportDeliveries.CountAsync());
        Assert.Single(await db.Events.Where(e => e.Kind == EventKinds.ExportRequested).ToListAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.RequestReexportAsync(TimeProvider.System, destination.Id, "9.9.9", "physicist", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_claimed_delivery_is_not_claimed_twice_but_a_dead_workers_is_taken_over(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = DateTime.UtcNow;
        await using (var db = database.CreateContext())
        {
            var destination = await db.ExportDestinations.SingleAsync();
            await db.EnsureDeliveryAsync(TimeProvider.System, new DeliveryRequest(destination.Id, "1.2.3", "/a.dcm", "pipeline"), CancellationToken.None);
            db.WorkerInstances.Add(new WorkerInstance { Id = "alive", Host = "h", Version = "1", StartedAt = now, LastSeenAt = now });
            db.WorkerInstances.Add(new WorkerInstance { Id = "dead", Host = "h", Version = "1", StartedAt = now, LastSeenAt = now - TimeSpan.FromMinutes(1) });
            await db.SaveChangesAsync();
        }

        now = now.AddSeconds(5);
        await using (var db = database.CreateContext())
        {
            Assert.NotNull(await db.TryClaimNextDeliveryAsync("alive", now, CancellationToken.None));
            Assert.Null(await db.TryClaimNextDeliveryAsync("other", now, CancellationToken.None));
            await db.ExportDeliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, "dead"));
        }

        await using (var db = database.CreateContext())
        {
            var takenOver = await db.TryClaimNextDeliveryAsync("other", now, CancellationToken.None);
            Assert.Equal("other", takenOver?.LeaseOwner);
        }
    }
}
