using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Testing.Database;
using Draw.Worker.Commands;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draw.Worker.Tests.Commands;

public sealed class CommandProcessorTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_ping_is_answered_once_with_a_pong_committed_and_published_with_the_completion(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var publisher = new RecordingPublisher();
        var processor = Processor(database, publisher, new PingHandler(new WorkerIdentity(), TimeProvider.System));
        await using (var db = database.CreateContext())
        {
            db.Enqueue(TimeProvider.System, WorkCommandKinds.Ping, "phys");
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await processor.DrainAsync(CancellationToken.None));
        Assert.Equal(0, await processor.DrainAsync(CancellationToken.None));

        await using var check = database.CreateContext();
        var command = await check.WorkCommands.SingleAsync();
        Assert.NotNull(command.CompletedAt);
        Assert.Null(command.Error);
        var pong = await check.Events.SingleAsync(e => e.Kind == EventKinds.WorkerPong);
        Assert.Contains("\"by\":\"phys\"", pong.Payload, StringComparison.Ordinal);
        Assert.Equal(pong.Id, Assert.Single(Assert.Single(publisher.Published)).Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unknown_or_failing_command_is_parked_with_its_error_and_the_handlers_changes_discarded(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var processor = Processor(database, new RecordingPublisher(), new FailingHandler());
        await using (var db = database.CreateContext())
        {
            db.Enqueue(TimeProvider.System, "no.such.kind", "phys");
            db.Enqueue(TimeProvider.System, FailingHandler.KindName, "phys");
            await db.SaveChangesAsync();
        }

        Assert.Equal(2, await processor.DrainAsync(CancellationToken.None));

        await using var check = database.CreateContext();
        var commands = await check.WorkCommands.OrderBy(c => c.Id).ToListAsync();
        Assert.Equal("No handler for command kind 'no.such.kind'.", commands[0].Error);
        Assert.Equal("the handler broke", commands[1].Error);
        Assert.All(commands, c => Assert.NotNull(c.CompletedAt));
        Assert.Equal(2, await check.Events.CountAsync(e => e.Kind == EventKinds.CommandFailed));
        Assert.Equal(0, await check.Events.CountAsync(e => e.Kind == "test.half-done"));
    }

    private static CommandProcessor Processor(TestDatabase database, IEventPublisher publisher, ICommandHandler handler) =>
        new(database.Factory, [handler], new WorkerIdentity(), publisher, TimeProvider.System, NullLogger<CommandProcessor>.Instance);

    private sealed class FailingHandler : ICommandHandler
    {
        public const string KindName = "test.fail";

        public string Kind => KindName;

        public Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
        {
            db.Append(TimeProvider.System, "test.half-done");
            throw new InvalidOperationException("the handler broke");
        }
    }
}

internal sealed class RecordingPublisher : IEventPublisher
{
    public List<IReadOnlyList<LiveEvent>> Published { get; } = [];

    public void Publish(IReadOnlyList<LiveEvent> events) => Published.Add(events);
}
