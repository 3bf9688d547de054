using Draw.Domain.Persistence;
using Draw.Domain.Work;

namespace Draw.Worker.Commands;

/// <summary>Runs one kind of <see cref="WorkCommand"/>. Changes go into <paramref name="db"/>; the processor commits them with the completion.</summary>
internal interface ICommandHandler
{
    string Kind { get; }

    Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken);
}
