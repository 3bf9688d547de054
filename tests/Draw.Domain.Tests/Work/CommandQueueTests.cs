using Draw.Domain.Work;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Draw.Domain.Tests.Work;

public sealed class CommandQueueTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_workers_never_claim_the_same_command(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var time = TimeProvider.System;
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 20; i++)
            {
                db.Enqueue(time, WorkCommandKinds.Ping, "tester");
            }

            await db.SaveChangesAsync();
        }

        async Task<List<long>> ClaimAllAsync(string worker)
        {
            var claimed = new List<long>();
            while (true)
            {
                await using var db = database.CreateContext();
                var command = await db.TryClaimNextAsync(time, worker, TimeSpan.FromMinutes(1), CancellationToken.None);
                if (command is null)
                {
                    return claimed;
                }

                claimed.Add(command.Id);
            }
        }

        var results = await Task.WhenAll(ClaimAllAsync("a"), ClaimAllAsync("b"), ClaimAllAsync("c"));
        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_command_whose_lease_ran_out_is_claimed_again_and_a_completed_one_never(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await using var db = database.CreateContext();
        db.Enqueue(time, WorkCommandKinds.Ping, "tester");
        await db.SaveChangesAsync();

        var first = await db.TryClaimNextAsync(time, "dead-worker", TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await db.TryClaimNextAsync(time, "other", TimeSpan.FromMinutes(2), CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(3));
        db.ChangeTracker.Clear();
        var again = await db.TryClaimNextAsync(time, "other", TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.NotNull(again);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        Assert.Equal("other", again.ClaimedBy);

        again.Complete(time, error: null);
        await db.SaveChangesAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await db.TryClaimNextAsync(time, "third", TimeSpan.FromMinutes(2), CancellationToken.None));
        Assert.Equal(1, await db.Events.CountAsync(e => e.Kind == EventKinds.CommandQueued));
    }
}
