using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Scheduling;

namespace Draw.Worker.Commands;

/// <summary>A schedule was edited, paused or resumed on the dashboard: apply the schedules now, not at the next 15 s sync.</summary>
internal sealed class ScheduleSyncHandler(DatastoreSchedules schedules) : ICommandHandler
{
    public string Kind => WorkCommandKinds.SyncSchedules;

    public Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken) => schedules.SyncNowAsync(cancellationToken);
}
