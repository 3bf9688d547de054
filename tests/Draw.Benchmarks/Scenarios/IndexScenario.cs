using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.IO;
using Draw.Domain.Index;
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
    public const string Pydicom = "pydicom";

    public string Name => "index";

    public string Description =>
        "Index a datastore of CT files (one folder per series, warm page cache): read each header and record patient, study, series and instance in the database.";

    public string Target => "At least 10 times pydicom's files per second.";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        Contender.Draw(Draw, "`DicomFile.OpenHeader` + `InstanceHeader.From` per file, then `SeriesIndexer.IndexAsync` once per folder in its own transaction, into a fresh migrated SQLite database (`TestDatabase.CreateAsync(\"Sqlite\")`, created before the loop); the same work as `Draw.Worker.Ingest.DatastoreScanner`, which is internal to the worker, through the public APIs (no lease, checkpoint or scanned-file bookkeeping)", "index", baseline: true),
        Contender.Peer(Pydicom, "`dcmread(path, stop_before_pixels=True)` collecting the same 22 fields into a dict by series, in one /usr/bin/python3 process (no database)", Tools.Python,
            i => Tools.PythonScript("pydicom_index_headers.py", i.Files.ListFile)),
    ];

    public Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (series, slices) = context.Mode == BenchmarkMode.Full ? (10, 500) : (4, 150);
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
        return workload == "index"
            ? IndexAsync(input.Files.Files).GetAwaiter().GetResult()
            : throw new NotSupportedException($"{Name} has no workload {workload}");
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var n = table.Files.Files.Count;
        if (table.Baseline?.Work is { } draw && table.Find(Pydicom) is { } py && table.WorkRatio(py) is { } loop)
        {
            yield return new TargetCheck("at least 10 times pydicom's files per second", loop >= 10, Inv(
                $"work loops (start-up excluded): DRAW {n / draw.Median:#,0} files/s including the database writes, pydicom {n / py.Work!.Value.Median:#,0} files/s reading only (x{loop:0.0}); whole process x{table.ProcessRatio(py):0.0} (DRAW's includes creating and migrating the database)"));
        }
        else
        {
            yield return new TargetCheck("at least 10 times pydicom's files per second", null, "not measured");
        }
    }

    private static async Task<WorkReport> IndexAsync(IReadOnlyList<string> files)
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        var indexer = new SeriesIndexer(TimeProvider.System);
        var source = new ArrivalSource(SeriesSource.Datastore, null, 0);
        var indexed = 0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        foreach (var folder in files.GroupBy(f => Path.GetDirectoryName(f)!, StringComparer.Ordinal))
        {
            var arrived = new List<ArrivedFile>();
            foreach (var path in folder.Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(path);
                arrived.Add(new ArrivedFile(InstanceHeader.From(DicomFile.OpenHeader(path).Dataset), path, info.Length, info.LastWriteTimeUtc));
            }

            await using var db = database.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var outcomes = await indexer.IndexAsync(db, arrived, source, CancellationToken.None);
            await transaction.CommitAsync();
            indexed += outcomes.Count(o => o is not (IndexOutcome.Duplicate or IndexOutcome.Conflict));
        }

        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return indexed != files.Count
            ? throw new InvalidOperationException($"{indexed} of {files.Count} files indexed")
            : new WorkReport(files.Count, clock.Elapsed.TotalSeconds, allocated);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
