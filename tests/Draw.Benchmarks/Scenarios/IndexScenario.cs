using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Draw.Worker.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Draw.Testing.Database;
using Draw.Testing.Series;

namespace Draw.Benchmarks.Scenarios;

/// <summary>
/// Indexing a datastore of CT files: header read and SeriesIndexer into a fresh SQLite database, one batch per folder
/// as the product's datastore scanner does, against a pydicom loop reading the same fields.
/// </summary>
public sealed class IndexScenario : IBenchmarkScenario
{
    public const string Draw = "DRAW";
    public const string DrawWarm = "DRAW, second pass";
    public const string Pydicom = "pydicom";
    public const string PydicomWarm = "pydicom, second pass";
    public const string DrawSteady = "DRAW, fifth pass";
    public const string PydicomSteady = "pydicom, fifth pass";
    public const string DrawSettled = "DRAW, JIT settled";

    private const int SteadyPasses = 5;

    // Back-to-back passes never let the runtime finish tiered compilation (EF alone brings thousands of hot methods,
    // and each newly compiled method postpones the next promotion): even the fifth pass still runs some code
    // unoptimised (with TieredPGO on, as before the worker turned it off, it mostly ran instrumented code). A worker
    // scans on a schedule and idles in between, which is when the background compiler catches up.
    private const int SettledPasses = 20;
    private static readonly TimeSpan SettledPause = TimeSpan.FromSeconds(1);

    public string Name => "index";

    public string Description =>
        "Index a datastore of CT files (one folder per series, warm page cache): read each header and record patient, study, series and instance in the database.";

    public string Target => "At least 10 times pydicom's files per second.";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        Contender.Draw(Draw, "`DatastoreScanner.ScanAsync` (the worker's own scanner: lease, run row, checkpoint, a scanned-file row, the index rows, change-feed events and a file-operation row per file, one transaction per folder) over the datastore folder, into a fresh migrated SQLite database created before the loop (`TestDatabase.CreateAsync(\"Sqlite\")`); first pass, JIT included; the loop's CPU time from `Process.TotalProcessorTime`", "index", baseline: true),
        Contender.Draw(DrawWarm, "as DRAW, but the loop timed is a second scan into a second fresh database, after a first scan in the same process (JIT warm: what a running worker pays)", "index-warm"),
        Contender.Draw(DrawSteady, "as DRAW, the loop timed is the fifth scan in the same process, each into a fresh database, back to back (JIT warm, but the runtime's tiered compilation has not finished: some hot code still runs unoptimised; see JIT settled)", "index-steady"),
        Contender.Draw(DrawSettled, $"as DRAW, the loop timed is the {SettledPasses}th scan in the same process, each into a fresh database and each followed by a {SettledPause.TotalSeconds:0} s pause, as between a worker's scheduled scans (the runtime's background compiler promotes the hot code then; by the last scan the process has compiled some 11,000 methods, `JitInfo`); a long-running worker's steady state. The pauses make this row's whole-process time long: only its loop figures mean something", "index-settled"),
        Contender.Peer(Pydicom, "`dcmread(path, stop_before_pixels=True)` collecting the same 22 fields into a dict by series, in one /usr/bin/python3 process (no database); the loop's CPU time from `time.process_time()`", Tools.Python,
            i => Tools.PythonScript("pydicom_index_headers.py", i.Files.ListFile)),
        Contender.Peer(PydicomWarm, "as pydicom, the loop timed is a second pass over the files in the same process", Tools.Python,
            i => Tools.PythonScript("pydicom_index_headers.py", i.Files.ListFile, "2")),
        Contender.Peer(PydicomSteady, "as pydicom, the loop timed is the fifth pass over the files in the same process", Tools.Python,
            i => Tools.PythonScript("pydicom_index_headers.py", i.Files.ListFile, "5")),
    ];

    public Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Issue 5 names 5,000 CT files: both modes use them (short mode takes fewer runs, not fewer files).
        const int series = 10;
        const int slices = 500;
        const int matrix = 128;
        var folder = Path.Combine(context.WorkFolder, "data", $"datastore-{series}x{slices}x{matrix}");
        ScenarioData.Generate(folder, Console.Out, f =>
        {
            for (var s = 0; s < series; s++)
            {
                CtSeriesGenerator.Write(Path.Combine(f, $"series-{s + 1:D2}"), new CtSeriesOptions
                {
                    Slices = slices,
                    Rows = matrix,
                    Columns = matrix,
                    PixelSpacingMm = 500.0 / matrix,
                    PatientId = $"DRAW-SYNTH-{s + 1:D4}",
                });
            }
        });
        var files = Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories);
        IReadOnlyList<FileSet> sets =
        [
            ScenarioData.ListSet(context, $"datastore-{files.Length}",
                $"a datastore of {series} synthetic CT series of {slices} slices (one folder each, {matrix}x{matrix} pixels: the header read does not depend on the matrix, a small one keeps the data set small)", files),
        ];
        return Task.FromResult(sets);
    }

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return workload switch
        {
            "index" => IndexAsync(input.Files.Files, passes: 1).GetAwaiter().GetResult(),
            "index-warm" => IndexAsync(input.Files.Files, passes: 2).GetAwaiter().GetResult(),
            "index-steady" => IndexAsync(input.Files.Files, passes: SteadyPasses).GetAwaiter().GetResult(),
            "index-settled" => IndexSettledAsync(input.Files.Files).GetAwaiter().GetResult(),
            _ => throw new NotSupportedException($"{Name} has no workload {workload}"),
        };
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var n = table.Files.Files.Count;
        foreach (var (draw, py, pass) in new[] { (DrawSettled, PydicomSteady, "JIT settled (pydicom: fifth pass)"), (DrawSteady, PydicomSteady, "fifth pass"), (DrawWarm, PydicomWarm, "second pass (JIT and imports warm)"), (Draw, Pydicom, "first pass (DRAW's JIT included)") })
        {
            var d = table.Find(draw);
            var p = table.Find(py);
            if (d?.Work is not { } drawWall || p?.Work is not { } pyWall)
            {
                yield return new TargetCheck($"at least 10 times pydicom's files per second, {pass}", null, "not measured");
                continue;
            }

            // CPU time decides: on this shared machine (load average far above the core count) wall time mostly
            // measures the other processes. Both figures are given.
            var wall = pyWall.Median / drawWall.Median;
            var detail = Inv($"work loop wall time: DRAW {n / drawWall.Median:#,0} files/s including the database writes, pydicom {n / pyWall.Median:#,0} files/s reading only (x{wall:0.0})");
            if (d.WorkCpu is { } drawCpu && p.WorkCpu is { } pyCpu)
            {
                var cpu = pyCpu.Median / drawCpu.Median;
                yield return new TargetCheck($"at least 10 times pydicom's files per second, {pass}, by CPU time", cpu >= 10, Inv(
                    $"CPU seconds in the loop (user + system, all threads): DRAW {drawCpu.Median:0.00} s ({n / drawCpu.Median:#,0} files per CPU-second), pydicom {pyCpu.Median:0.00} s ({n / pyCpu.Median:#,0}) (x{cpu:0.0}); {detail}"));
                // The issue asks for files per second: the loop's wall time, given beside the CPU verdict (DRAW reads
                // headers on every core and overlaps them with the database writes; pydicom runs on one).
                yield return new TargetCheck($"at least 10 times pydicom's files per second, {pass}, by work-loop wall time", wall >= 10, detail);
            }
            else
            {
                yield return new TargetCheck($"at least 10 times pydicom's files per second, {pass}", wall >= 10, detail);
            }
        }
    }

    /// <summary>Scans the datastore holding the files <paramref name="passes"/> times, each into a fresh database; times the last.</summary>
    private static async Task<WorkReport> IndexAsync(IReadOnlyList<string> files, int passes)
    {
        var root = CommonFolder(files);
        WorkReport? report = null;
        for (var pass = 0; pass < passes; pass++)
        {
            await using var database = await TestDatabase.CreateAsync("Sqlite");
            var scanner = new DatastoreScanner(database.Factory, new SeriesIndexer(TimeProvider.System), new WorkerIdentity(), database.DataRoot,
                new NoPublisher(), TimeProvider.System, NullLogger<DatastoreScanner>.Instance);
            long datastoreId;
            await using (var db = database.CreateContext())
            {
                datastoreId = (await db.SaveAsync(new Datastore { Name = "bench", Path = root, QuietPeriodSeconds = 0 }, TimeProvider.System, CancellationToken.None)).Id;
            }

            BackgroundCompiler.WaitUntilQuiet();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var run = await scanner.ScanAsync(datastoreId, CancellationToken.None) ?? throw new InvalidOperationException("the scan lease was taken");
            clock.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            report = run.Status != DatastoreRunStatus.Completed || run.FilesIndexed != files.Count
                ? throw new InvalidOperationException($"{run.FilesIndexed} of {files.Count} files indexed ({run.Status}: {run.Error})")
                : new WorkReport(files.Count, clock.Elapsed.TotalSeconds, allocated, cpu.TotalSeconds);
        }

        return report!;
    }

    /// <summary>Scans <see cref="SettledPasses"/> times, each into a fresh database and followed by a pause; times the last.</summary>
    private static async Task<WorkReport> IndexSettledAsync(IReadOnlyList<string> files)
    {
        for (var pass = 1; pass < SettledPasses; pass++)
        {
            await IndexAsync(files, passes: 1);
            await Task.Delay(SettledPause);
        }

        return await IndexAsync(files, passes: 1);
    }

    private static string CommonFolder(IReadOnlyList<string> files)
    {
        var root = Path.GetDirectoryName(files[0])!;
        while (!files.All(f => f.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            root = Path.GetDirectoryName(root)!;
        }

        return root;
    }

    private sealed class NoPublisher : IEventPublisher
    {
        public void Publish(IReadOnlyList<LiveEvent> events)
        {
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
