using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Imaging;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Testing;
using Draw.Worker.Backends.Local;

namespace Draw.Benchmarks.Scenarios;

/// <summary>
/// The local engine on LUNG1-001: time per slice, and the Dice of its lungs against the data set's own RTSTRUCT.
/// DRAW only: no peer (the table has DRAW's row alone).
/// </summary>
public sealed class LocalEngineScenario : IBenchmarkScenario
{
    public const string Draw = "DRAW local engine";
    private const string Lung1 = "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001";
    private const string ResultFile = "result.json";
    private ScenarioContext? _context;

    public string Name => "local-engine";

    public string Description =>
        "The local segmentation engine on LUNG1-001 (load, segment, trace, write the RTSTRUCT), and the Dice of its Lung-Left and Lung-Right against the set's own RTSTRUCT. DRAW only.";

    public string Target => "Dice ≥ 0.95 on average and ≥ 0.90 for each lung; time per slice reported (no target).";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        Contender.Draw(Draw, "`new LocalSegmenter().SegmentSeries(files, output, null, ct)` in a child process: the whole series, RTSTRUCT written atomically", "segment", baseline: true),
    ];

    public Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var sets = context.CtSeries.Where(s => s.Name == "lung1-001").ToList();
        if (sets.Count == 0)
        {
            Console.WriteLine("local-engine: LUNG1-001 not found, nothing to run");
        }

        return Task.FromResult<IReadOnlyList<FileSet>>(sets);
    }

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (workload != "segment")
        {
            throw new NotSupportedException($"{Name} has no workload {workload}");
        }

        var output = Path.Combine(input.OutputFolder, "RS.dcm");
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = new LocalSegmenter().SegmentSeries(input.Files.Files, output, null, CancellationToken.None);
        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        File.WriteAllText(Path.Combine(input.OutputFolder, ResultFile), JsonSerializer.Serialize(new double[]
        {
            result.LoadTime.TotalSeconds, result.SegmentTime.TotalSeconds, result.TraceAndWriteTime.TotalSeconds,
        }));
        return new WorkReport(result.Slices, clock.Elapsed.TotalSeconds, allocated);
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var checks = new List<TargetCheck>();
        var draw = table.Baseline;
        if (draw?.Work is not { } work || _context is null)
        {
            checks.Add(new TargetCheck("DRAW measured", false, "the local engine did not run"));
            return checks;
        }

        // The last measured run's output (each run empties the contender's folder first).
        var folder = Path.Combine(_context.WorkFolder, "out", Name, string.Concat(Draw.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')));
        var slices = table.Files.Files.Count;
        var parts = JsonSerializer.Deserialize<double[]>(File.ReadAllText(Path.Combine(folder, ResultFile)))!;
        checks.Add(new TargetCheck("time per slice (no target)", null, Inv(
            $"{work.Median * 1000 / slices:0.0} ms per slice in the engine (median of the runs; whole process {draw.Wall!.Value.Median * 1000 / slices:0.0} ms); last run: load {parts[0] * 1000:0} ms, segment {parts[1] * 1000:0} ms, trace and write {parts[2] * 1000:0} ms")));

        var geometry = VolumeLoader.Load(table.Files.Files).Geometry;
        var written = RtStructureSet.Read(DicomFile.Open(Path.Combine(folder, "RS.dcm")).Dataset);
        var reference = RtStructureSet.Read(DicomFile.Open(Path.Combine(RepoPaths.DicomSamples, Lung1, "mask_rtstruct", "1-1.dcm")).Dataset);
        var dice = new List<(string Name, double Dice)>();
        foreach (var name in new[] { "Lung-Left", "Lung-Right" })
        {
            if (written.FindRoi(name) is { } ours && reference.FindRoi(name) is { } theirs)
            {
                dice.Add((name, VolumeMask.Dice(ContourRasterizer.Rasterize(ours, geometry), ContourRasterizer.Rasterize(theirs, geometry))));
            }
            else
            {
                dice.Add((name, 0));
            }
        }

        var detail = string.Join(", ", dice.Select(d => Inv($"{d.Name} {d.Dice:0.000}")));
        checks.Add(new TargetCheck("Dice ≥ 0.95 on average", dice.Average(d => d.Dice) >= 0.95, Inv(
            $"mean {dice.Average(d => d.Dice):0.000} ({detail}); both sides rasterized on the CT grid from the written RTSTRUCT and LUNG1-001's own")));
        checks.Add(new TargetCheck("Dice ≥ 0.90 for each lung", dice.All(d => d.Dice >= 0.90), detail));
        return checks;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
