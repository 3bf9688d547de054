using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Commands;

namespace Draw.Worker.Ingest.Uploads;

/// <summary>The dashboard's Extract action (used when automatic extraction is off): payload {"uploadId": N}.</summary>
internal sealed class ExtractUploadHandler(UploadExtractor extractor) : ICommandHandler
{
    public string Kind => WorkCommandKinds.ExtractUpload;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var payload = JsonDocument.Parse(command.Payload);
        var uploadId = payload.RootElement.GetProperty("uploadId").GetInt64();
        if (await extractor.ExtractPendingAsync(uploadId, cancellationToken) == 0)
        {
            throw new InvalidOperationException($"Upload {uploadId} is not waiting for extraction.");
        }
    }
}
