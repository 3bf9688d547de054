using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Draw.Benchmarks.Harness;
using Draw.Domain.Index;
using Draw.Domain.Settings;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Benchmarks.Scenarios;

/// <summary>
/// The series page's server time over 100,000 series: the exact query the page runs for a load
/// (<see cref="SeriesQuery.PageAsync"/> in a new context, as SeriesList.LoadAsync does), the first load
/// (the first run of that query after the dashboard's start-up warm-up) and warm, for the first page, a
/// filtered page and a search. DRAW only.
/// </summary>
public sealed class SeriesPageScenario : IBenchmarkScenario, IAsyncDisposable
{
    private const int WarmQueries = 20;
    private const string Timings = "timings.jsonl";
    private readonly List<TestDatabase> owned = [];

    public string Name => "series-page";

    public string Description =>
        $"The series page's query (`SeriesQuery.PageAsync`, a new DbContext per load as the page does) over {SeriesPageData.SeriesCount:N0} seeded series: its first page, a filtered page and a search, each as the first person to open the page meets it (\"first load\": the first run of that exact query in a fresh process that has done what the dashboard does at start-up, its schema check and its query warm-up `SeriesQueryWarmup` over the page's filter shapes with other values; the database files are in the page cache) and warm (median of {WarmQueries} after the cold one).";

    public string Target => "Under 500 ms of server time for the first load and for a filtered page.";

    /// <summary>The page loads measured: what the user sees first, a typical filter, a search (which no index serves).</summary>
    private static readonly Dictionary<string, SeriesFilter> Loads = new()
    {
        ["first page"] = new SeriesFilter(),
        ["filtered page"] = new SeriesFilter { Statuses = [SeriesStatus.RuleNotMatched, SeriesStatus.MultipleRulesMatched], Modality = "CT", StudyDateFrom = "20240301", StudyDateTo = "20241231" },
        ["search"] = new SeriesFilter { Search = "okafor" },
        ["page 40 of a filter"] = new SeriesFilter { Statuses = [SeriesStatus.RtStructureExported], Skip = 975, Take = 25 },
    };

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        .. Loads.Keys.Select((name, i) => Contender.Draw(name, Describe(Loads[name]), name, baseline: i == 0)),
    ];

    public async Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var folder = Path.Combine(context.WorkFolder, "data", "series-page");
        Directory.CreateDirectory(folder);
        var sets = new List<FileSet>();
        var sqlite = await SeriesPageData.SqliteAsync(Path.Combine(folder, $"sqlite-{SeriesPageData.SeriesCount}"), Console.Out);
        sets.Add(Set(context, folder, "sqlite", sqlite, $"SQLite (WAL), {SeriesPageData.SeriesCount:N0} series seeded once and kept in the work folder"));
        if (Environment.GetEnvironmentVariable("DRAW_TEST_POSTGRES") is { Length: > 0 })
        {
            var (owner, postgres) = await SeriesPageData.PostgreSqlAsync(Console.Out);
            owned.Add(owner);
            sets.Add(Set(context, folder, "postgresql", postgres, $"PostgreSQL (DRAW_TEST_POSTGRES), {SeriesPageData.SeriesCount:N0} series seeded into a fresh database this run"));
        }
        else
        {
            Console.WriteLine("series-page: DRAW_TEST_POSTGRES not set, SQLite only");
        }

        foreach (var set in sets)
        {
            File.Delete(TimingsFile(set));
        }

        return sets;
    }

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var filter = Loads.TryGetValue(workload, out var f) ? f : throw new NotSupportedException($"{Name} has no workload {workload}");
        var database = SeriesPageDatabase.Read(input.Files.Files[0]);
        // The dashboard's start-up (schema gate, then the query warm-up) has run before anyone opens the
        // page: EF's model, the provider, the pool and the page's query shapes are ready; this exact query has never run.
        var start = Stopwatch.StartNew();
        StartUpAsync(database).GetAwaiter().GetResult();
        var startUp = start.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var times = new List<double>();
        var rows = 0;
        for (var i = 0; i <= WarmQueries; i++)
        {
            var clock = Stopwatch.StartNew();
            rows = LoadAsync(database, filter).GetAwaiter().GetResult();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        File.AppendAllText(TimingsFile(input.Files), JsonSerializer.Serialize(new Timing(workload, startUp, times[0], Median(times.Skip(1)), times.Skip(1).Max(), rows)) + "\n");
        return new WorkReport(times.Count, times.Sum(), allocated);
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var timings = File.Exists(TimingsFile(table.Files))
            ? File.ReadAllLines(TimingsFile(table.Files)).Select(l => JsonSerializer.Deserialize<Timing>(l)!).ToList()
            : [];
        foreach (var load in Loads.Keys)
        {
            var runs = timings.Where(t => t.Load == load).ToList();
            if (runs.Count == 0)
            {
                yield return new TargetCheck($"{load} under 500 ms", false, "not measured");
                continue;
            }

            var cold = Median(runs.Select(r => r.Cold));
            var warm = Median(runs.Select(r => r.WarmMedian));
            var detail = Inv($"first load {cold * 1000:0} ms (median of {runs.Count} processes; worst {runs.Max(r => r.Cold) * 1000:0} ms; before it, the start-up (schema check and query warm-up) took {Median(runs.Select(r => r.StartUp)) * 1000:0} ms), warm {warm * 1000:0.0} ms (median; slowest warm query {runs.Max(r => r.WarmMax) * 1000:0} ms); {runs[0].Rows} rows on the page");
            // The issue's target covers the first load and a filtered page; the search and a deep page are reported against the same bar.
            yield return new TargetCheck($"{load}: first load and warm under 500 ms", cold < 0.5 && warm < 0.5, detail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in owned)
        {
            await database.DisposeAsync();
        }

        owned.Clear();
    }

    /// <summary>What the dashboard does at start-up before anyone opens a page: its schema check, then its query warm-up.</summary>
    private static async Task StartUpAsync(SeriesPageDatabase database)
    {
        await using (var db = database.CreateContext())
        {
            _ = await db.Database.GetAppliedMigrationsAsync();
        }

        await SeriesQueryWarmup.WarmUpAsync(_ => Task.FromResult(database.CreateContext()), CancellationToken.None);
    }

    private static async Task<int> LoadAsync(SeriesPageDatabase database, SeriesFilter filter)
    {
        await using var db = database.CreateContext();
        var (rows, total) = await db.PageAsync(filter, CancellationToken.None);
        return total > 0 && rows.Count > 0 ? rows.Count : throw new InvalidOperationException($"the page query returned no rows ({total} in total)");
    }

    private static FileSet Set(ScenarioContext context, string folder, string name, SeriesPageDatabase database, string description)
    {
        var file = Path.Combine(folder, name + ".json");
        database.Write(file);
        return ScenarioData.ListSet(context, "series-page-" + name, description, [file]);
    }

    private static string TimingsFile(FileSet set) =>
        Path.Combine(Path.GetDirectoryName(set.Files[0])!, Path.GetFileNameWithoutExtension(set.Files[0]) + "-" + Timings);

    private static string Describe(SeriesFilter f) =>
        Inv($"`SeriesQuery.PageAsync` with {(f.Statuses is { Count: > 0 } ? $"statuses {string.Join("/", f.Statuses)}, " : "")}{(f.Modality is null ? "" : $"modality {f.Modality}, ")}{(f.StudyDateFrom is null ? "" : $"study date {f.StudyDateFrom}–{f.StudyDateTo}, ")}{(f.Search is null ? "" : $"search \"{f.Search}\", ")}rows {f.Skip + 1}–{f.Skip + f.Take}, latest change first; in a child process: 1 first + {WarmQueries} warm loads");

    private static double Median(IEnumerable<double> values) => Summary.Of(values)!.Value.Median;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Timing(string Load, double StartUp, double Cold, double WarmMedian, double WarmMax, int Rows);
}
