using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Health;

namespace Draw.Worker.Commands;

/// <summary>Answers a ping from the dashboard with a worker.pong event: the live path end to end.</summary>
internal sealed class PingHandler(WorkerIdentity identity, TimeProvider time) : ICommandHandler
{
    public string Kind => WorkCommandKinds.Ping;

    public Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        db.Append(time, EventKinds.WorkerPong, new { worker = identity.Id, command = command.Id, by = command.RequestedBy });
        return Task.CompletedTask;
    }
}
