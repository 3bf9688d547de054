using System.Text.Json;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Commands;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Exporters;

/// <summary>"Test" on a destination (dashboard or CLI): payload {"destinationId": N}; the probe's lines go to the command's Result and a destination.tested event.</summary>
internal sealed class DestinationTestHandler(ExportHttp http, TimeProvider time) : ICommandHandler
{
    public string Kind => WorkCommandKinds.TestDestination;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(db);
        using var payload = JsonDocument.Parse(command.Payload);
        var id = payload.RootElement.GetProperty("destinationId").GetInt64();
        var destination = await db.ExportDestinations.AsNoTracking().Include(d => d.Nodes).FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new InvalidOperationException($"There is no destination {id}.");
        var report = await new DestinationProbe(http.Client, time).ProbeAsync(destination, cancellationToken);
        command.Result = report.Summary;
        db.Append(time, EventKinds.DestinationTested, new { destination = destination.Name, ok = report.Ok, lines = report.Lines, by = command.RequestedBy });
    }
}
