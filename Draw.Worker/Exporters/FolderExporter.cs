using Draw.Domain.Export;

namespace Draw.Worker.Exporters;

/// <summary>
/// Folder and write-back: the target path was chosen and committed before this runs, so a repeat
/// after a crash writes the same file. The copy goes to a hidden temporary name in the target folder
/// and is renamed onto the target, so an importer never sees half a file.
/// </summary>
internal sealed class FolderExporter : IExporter
{
    public IReadOnlyCollection<DestinationKind> Kinds { get; } = [DestinationKind.Folder, DestinationKind.WriteBack];

    public Task<ExportOutcome> ExportAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Delivery.TargetPath ?? throw new InvalidOperationException("the target path must be committed before the copy");
        var folder = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        if (!Directory.Exists(folder))
        {
            if (request.Destination.Kind == DestinationKind.WriteBack)
            {
                return Task.FromResult(ExportOutcome.Refused("the series' folder is gone; nowhere to write back"));
            }

            if (request.Destination.OnlyIntoExistingFolder)
            {
                // As DRAW RTSST: the import share's patient folder must exist; it may be created later, so retry.
                return Task.FromResult(ExportOutcome.Retry($"the folder '{Path.GetFileName(folder)}' does not exist under the destination root and this destination writes only into existing folders"));
            }

            Directory.CreateDirectory(folder);
        }

        var temporary = Path.Combine(folder, $".{name}.{request.Delivery.Id}.part");
        File.Copy(request.Delivery.SourcePath, temporary, overwrite: true);
        File.Move(temporary, target, overwrite: true);
        return Task.FromResult(ExportOutcome.Done(target, name));
    }
}
