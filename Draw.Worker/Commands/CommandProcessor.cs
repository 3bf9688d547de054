using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Commands;

/// <summary>Claims queued commands one at a time and runs each through its handler.</summary>
internal sealed partial class CommandProcessor(
    IDbContextFactory<DrawDbContext> contexts,
    IEnumerable<ICommandHandler> handlers,
    WorkerIdentity identity,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<CommandProcessor> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, ICommandHandler> byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Runs every command that can be claimed now; returns how many ran.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (await RunNextAsync(cancellationToken))
        {
            count++;
        }

        return count;
    }

    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var command = await db.TryClaimNextAsync(time, identity.Id, Lease, cancellationToken);
        if (command is null)
        {
            return false;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CommandId"] = command.Id, ["CommandKind"] = command.Kind });
        string? error = null;
        if (byKind.TryGetValue(command.Kind, out var handler))
        {
            try
            {
                await handler.HandleAsync(command, db, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.Message;
                LogFailed(ex);
                DiscardHandlerChanges(db, command);
            }
        }
        else
        {
            error = $"No handler for command kind '{command.Kind}'.";
        }

        if (error is not null)
        {
            db.Append(time, EventKinds.CommandFailed, new { command = command.Id, kind = command.Kind, error });
        }

        command.Complete(time, error);
        await db.SaveAndPublishAsync(publisher, cancellationToken);
        return true;
    }

    private static void DiscardHandlerChanges(DrawDbContext db, WorkCommand command)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity != command && e.State != EntityState.Unchanged).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Command failed")]
    private partial void LogFailed(Exception exception);
}
