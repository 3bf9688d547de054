using Draw.Domain.Segmentation;

namespace Draw.Worker.Pipeline;

/// <summary>The configured backends by name ("local", "draw-server").</summary>
internal sealed class BackendRegistry(IEnumerable<ISegmentationBackend> backends)
{
    private readonly Dictionary<string, ISegmentationBackend> byName = backends.ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);

    public ISegmentationBackend? Find(string name) => byName.GetValueOrDefault(name);

    public IReadOnlyCollection<string> Names => byName.Keys;
}
