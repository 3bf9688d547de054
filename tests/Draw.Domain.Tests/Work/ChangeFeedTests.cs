using Draw.Domain.Work;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Work;

public sealed class ChangeFeedTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_event_commits_with_its_state_change_or_not_at_all(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.WorkerInstances.Add(new WorkerInstance { Id = "rolled-back", Host = "h", Version = "v" });
            db.Append(TimeProvider.System, EventKinds.WorkerStarted);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using (var db = database.CreateContext())
        {
            Assert.Empty(await db.Events.ToListAsync());
            Assert.Empty(await db.WorkerInstances.ToListAsync());
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Published_events_carry_their_committed_ids_and_catch_up_reads_in_order(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var publisher = new RecordingPublisher();
        await using (var db = database.CreateContext())
        {
            db.Append(TimeProvider.System, "test.one", new { n = 1 });
            db.Append(TimeProvider.System, "test.two", new { n = 2 }, seriesId: 42);
            Assert.Empty(publisher.Published);
            await db.SaveAndPublishAsync(publisher, CancellationToken.None);
        }

        var published = Assert.Single(publisher.Published);
        Assert.Equal(["test.one", "test.two"], published.Select(e => e.Kind));
        Assert.All(published, e => Assert.True(e.Id > 0));
        Assert.Equal("{\"n\":2}", published[1].Payload);
        Assert.Equal(42, published[1].SeriesId);

        await using (var db = database.CreateContext())
        {
            var since = await db.SinceAsync(published[0].Id, 10, CancellationToken.None);
            Assert.Equal([published[1].Id], since.Select(e => e.Id));
            var latest = await db.LatestAsync(1, CancellationToken.None);
            Assert.Equal(published[1].Id, Assert.Single(latest).Id);
            Assert.Equal(DateTimeKind.Utc, latest[0].Time.Kind);
        }
    }

    private sealed class RecordingPublisher : IEventPublisher
    {
        public List<IReadOnlyList<LiveEvent>> Published { get; } = [];

        public void Publish(IReadOnlyList<LiveEvent> events) => Published.Add(events);
    }
}
