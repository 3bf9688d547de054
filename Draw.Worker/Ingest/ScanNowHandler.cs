using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Work;

namespace Draw.Worker.Ingest;

/// <summary>"Scan now" from the dashboard or `draw datastores scan`: payload {"datastoreId": N}.</summary>
internal sealed class ScanNowHandler(DatastoreScanner scanner) : Commands.ICommandHandler
{
    public string Kind => WorkCommandKinds.ScanDatastore;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var payload = JsonDocument.Parse(command.Payload);
        var datastoreId = payload.RootElement.GetProperty("datastoreId").GetInt64();
        if (await scanner.ScanAsync(datastoreId, cancellationToken) is null)
        {
            throw new InvalidOperationException($"Datastore {datastoreId} is being scanned by another worker right now.");
        }
    }
}
