using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Components.Pages.Destinations;

public enum TestState
{
    Waiting,
    Ok,
    Failed,
    NoAnswer,
}

/// <summary>What the page shows for a destination's latest test.</summary>
public sealed record TestOutcome(TestState State, string Text, DateTime At);

/// <summary>
/// Waits for a queued "destination.test" command to be answered. The command row is the truth (the
/// worker writes the probe's summary to its Result, or an Error); a live event only makes the next
/// look come sooner, and a look every second covers a missed event. Gives up with a message that
/// says whether any worker took the test.
/// </summary>
internal sealed class DestinationTestRun(IDbContextFactory<DrawDbContext> contexts, TimeProvider time, long commandId, TimeSpan timeout) : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    /// <summary>The longest a test may take: C-ECHO runs node by node, each within its own timeout.</summary>
    public static TimeSpan TimeoutFor(ExportDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var probing = destination.Kind == DestinationKind.DicomNode ? destination.Nodes.Sum(n => n.TimeoutSeconds) : 30;
        return TimeSpan.FromSeconds(30 + probing);
    }

    public long CommandId => commandId;

    /// <summary>Something happened that may have answered the test: look now.</summary>
    public void Nudge()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A look is already due.
        }
    }

    public async Task<TestOutcome> WaitAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var claimed = false;
        while (true)
        {
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var command = await db.WorkCommands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commandId, cancellationToken);
                if (command is null)
                {
                    return new TestOutcome(TestState.Failed, "The test request has disappeared.", time.GetUtcNow().UtcDateTime);
                }

                if (command.CompletedAt is { } done)
                {
                    return command.Error is { } error
                        ? new TestOutcome(TestState.Failed, error, done)
                        : new TestOutcome(IsOk(command.Result) ? TestState.Ok : TestState.Failed, command.Result ?? "done", done);
                }

                claimed = command.ClaimedBy is not null;
            }

            if (time.GetUtcNow() >= deadline)
            {
                var seconds = (int)timeout.TotalSeconds;
                var text = claimed
                    ? $"A worker took the test but has not answered within {seconds} s."
                    : $"No worker answered within {seconds} s. Is a worker running? The test stays queued and runs when one starts.";
                return new TestOutcome(TestState.NoAnswer, text, time.GetUtcNow().UtcDateTime);
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>The probe's summary starts with "ok:" when every check passed (ProbeReport.Summary).</summary>
    private static bool IsOk(string? result) => result?.StartsWith("ok:", StringComparison.Ordinal) == true;

    public void Dispose() => signal.Dispose();
}
