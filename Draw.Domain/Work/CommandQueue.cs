using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Work;

/// <summary>
/// The durable queue of <see cref="WorkCommand"/>s. The dashboard enqueues; workers claim with a
/// lease through a conditional update, so two workers never run the same command, and a command
/// whose worker died is claimed again once its lease has run out.
/// </summary>
public static class CommandQueue
{
    public static WorkCommand Enqueue(this DrawDbContext db, TimeProvider time, string kind, string? requestedBy, string payload = "{}")
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var command = new WorkCommand { Kind = kind, Payload = payload, RequestedBy = requestedBy, RequestedAt = time.GetUtcNow().UtcDateTime };
        db.WorkCommands.Add(command);
        db.Append(time, EventKinds.CommandQueued, new { kind, by = requestedBy });
        return command;
    }

    /// <summary>Claims the oldest runnable command for <paramref name="workerId"/>, or returns null.</summary>
    public static async Task<WorkCommand?> TryClaimNextAsync(this DrawDbContext db, TimeProvider time, string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        var candidates = await db.WorkCommands.AsNoTracking()
            .Where(c => c.CompletedAt == null && (c.ClaimedBy == null || c.LeaseUntil < now))
            .OrderBy(c => c.Id)
            .Select(c => c.Id)
            .Take(8)
            .ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            var until = now + lease;
            var claimed = await db.WorkCommands
                .Where(c => c.Id == id && c.CompletedAt == null && (c.ClaimedBy == null || c.LeaseUntil < now))
                .ExecuteUpdateAsync(
                    set => set.SetProperty(c => c.ClaimedBy, workerId).SetProperty(c => c.LeaseUntil, until).SetProperty(c => c.Attempts, c => c.Attempts + 1),
                    cancellationToken);
            if (claimed == 1)
            {
                return await db.WorkCommands.SingleAsync(c => c.Id == id, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Marks a claimed command done (error null) or failed; the caller saves with its events.</summary>
    public static void Complete(this WorkCommand command, TimeProvider time, string? error)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(time);
        command.CompletedAt = time.GetUtcNow().UtcDateTime;
        command.Error = error;
        command.LeaseUntil = null;
    }
}
