using Draw.Domain.Segmentation;

namespace Draw.Worker.Pipeline;

/// <summary>
/// The configured backends by name ("local", "draw-server"), resolved at each use: the DRAW server
/// client is a typed HttpClient, whose handlers are recycled by the factory.
/// </summary>
internal sealed class BackendRegistry(IServiceProvider services)
{
    public ISegmentationBackend? Find(string name) =>
        services.GetServices<ISegmentationBackend>().FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyCollection<string> Names => [.. services.GetServices<ISegmentationBackend>().Select(b => b.Name)];
}
