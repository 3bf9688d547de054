using Draw.Dicom.Network.Client;
using Draw.Domain.Export;

namespace Draw.Worker.Exporters;

/// <summary>
/// C-STORE to the primary node, then to each fallback in order; the first node that answers Success
/// takes the file. A warning or failure status is a failure with its reason (the next node is tried).
/// </summary>
internal sealed class DicomNodeExporter(TimeProvider time, ILogger<DicomNodeExporter> logger) : IExporter
{
    public IReadOnlyCollection<DestinationKind> Kinds { get; } = [DestinationKind.DicomNode];

    public async Task<ExportOutcome> ExportAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var failures = new List<string>();
        foreach (var node in request.Destination.Nodes.OrderBy(n => n.Position))
        {
            try
            {
                var client = new DicomClient(DicomNodes.ClientOptions(node, time), logger);
                var summary = await client.StoreFilesAsync([request.Delivery.SourcePath], cancellationToken: cancellationToken);
                var result = summary.Files.Single();
                if (result.Error is null && result.Status.IsSuccess)
                {
                    return ExportOutcome.Done(node.ToString(), Path.GetFileName(request.Delivery.SourcePath));
                }

                failures.Add($"{node}: {result.Error ?? "status " + result.Status}");
            }
            catch (Exception ex) when (DicomNodes.IsNetworkFailure(ex))
            {
                failures.Add($"{node}: {ex.Message}");
            }
        }

        return ExportOutcome.Retry(failures.Count == 0 ? "no node configured" : string.Join("; ", failures));
    }
}
