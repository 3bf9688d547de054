using Draw.Domain.Export;

namespace Draw.Worker.Exporters;

/// <summary>One delivery to carry out: the file, its facts, the destination, and (folder kinds) the committed target path.</summary>
internal sealed record ExportRequest(ExportDelivery Delivery, ExportDestination Destination, ExportFacts Facts);

/// <summary>What an exporter reports: delivered to <see cref="Target"/>, or failed (transient: retried with backoff; else parked at once).</summary>
internal sealed record ExportOutcome(bool Delivered, string? Target, string? FileName, string? Error, bool Transient)
{
    public static ExportOutcome Done(string target, string? fileName = null) => new(true, target, fileName, null, false);

    public static ExportOutcome Retry(string error) => new(false, null, null, error, true);

    public static ExportOutcome Refused(string error) => new(false, null, null, error, false);
}

/// <summary>Sends one file to one kind of destination. Must be safe to repeat after a crash.</summary>
internal interface IExporter
{
    IReadOnlyCollection<DestinationKind> Kinds { get; }

    Task<ExportOutcome> ExportAsync(ExportRequest request, CancellationToken cancellationToken);
}
