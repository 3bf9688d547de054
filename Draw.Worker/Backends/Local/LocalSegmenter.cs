using System.Diagnostics;
using Draw.Dicom.Imaging;
using Draw.Dicom.Rt;

namespace Draw.Worker.Backends.Local;

/// <summary>What one local segmentation did: structures written, contours, and where the time went.</summary>
public sealed record LocalSegmentationResult(
    string OutputPath,
    string Modality,
    int Slices,
    IReadOnlyList<(string Name, int Contours, long Voxels)> Structures,
    TimeSpan LoadTime,
    TimeSpan SegmentTime,
    TimeSpan TraceAndWriteTime);

/// <summary>
/// The local engine end to end: load the series, segment, trace the masks into contours (0.25 mm tolerance, holes as
/// separate even-odd contours), build a new RTSTRUCT referencing every slice, and write it atomically.
/// </summary>
public sealed class LocalSegmenter
{
    private readonly LocalSegmentationEngine _engine;
    private readonly TracerOptions _tracer;

    public LocalSegmenter(LocalSegmentationEngine? engine = null, TracerOptions? tracer = null)
    {
        _engine = engine ?? new LocalSegmentationEngine();
        _tracer = tracer ?? new TracerOptions { ToleranceMm = 0.25, MinimumAreaMm2 = 4 };
    }

    /// <param name="files">The image files of one series (other files, such as an RTSTRUCT, are skipped).</param>
    /// <param name="outputRtStructPath">Where the RTSTRUCT goes (written to a temporary name, then renamed).</param>
    /// <param name="structureNames">The structures wanted (case-insensitive); null for all the modality offers.</param>
    public Task<LocalSegmentationResult> SegmentSeriesAsync(IReadOnlyList<string> files, string outputRtStructPath, IReadOnlyCollection<string>? structureNames, CancellationToken cancellationToken) =>
        Task.Run(() => SegmentSeries(files, outputRtStructPath, structureNames, cancellationToken), cancellationToken);

    public LocalSegmentationResult SegmentSeries(IReadOnlyList<string> files, string outputRtStructPath, IReadOnlyCollection<string>? structureNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRtStructPath);
        var t0 = Stopwatch.GetTimestamp();
        var volume = VolumeLoader.Load(files, cancellationToken);
        var t1 = Stopwatch.GetTimestamp();
        var structures = _engine.Segment(volume, structureNames, cancellationToken);
        if (structures.Count == 0)
        {
            throw new InvalidOperationException($"the local engine makes none of the requested structures for {volume.Modality}");
        }

        var t2 = Stopwatch.GetTimestamp();
        var builder = new RtStructureSetBuilder(volume.Header, volume.Geometry);
        var summary = new List<(string, int, long)>();
        foreach (var s in structures)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var contours = ContourTracer.TraceVolume(s.Mask, volume.Geometry, _tracer);
            builder.AddRoi(s.Name, s.Color, s.InterpretedType, contours);
            summary.Add((s.Name, contours.Count, s.Mask.Count()));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(outputRtStructPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        builder.Build().Save(outputRtStructPath);
        var t3 = Stopwatch.GetTimestamp();
        return new LocalSegmentationResult(
            outputRtStructPath, volume.Modality, volume.Slices, summary,
            Stopwatch.GetElapsedTime(t0, t1), Stopwatch.GetElapsedTime(t1, t2), Stopwatch.GetElapsedTime(t2, t3));
    }
}
