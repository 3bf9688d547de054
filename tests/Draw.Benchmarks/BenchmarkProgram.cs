using System.Globalization;
using System.Text.Json;
using Draw.Benchmarks.Harness;
using Draw.Benchmarks.Micro;
using Draw.Benchmarks.Scenarios;
using Draw.Testing;

namespace Draw.Benchmarks;

/// <summary>The command line: scenarios (whole-process comparisons with peer tools), micro-benchmarks, the report.</summary>
public static class BenchmarkProgram
{
    private const string Usage = """
        usage: dotnet run --project tests/Draw.Benchmarks -c Release -- [--short|--full] [--micro] [--repetitions N]
                                                                        [--output FILE] [--work DIR] [--list] [SCENARIO...]
          --short         small data, 3 measured runs per contender (default; CI smoke test)
          --full          large data, 7 measured runs per contender
          --micro         BenchmarkDotNet micro-benchmarks (only them, unless scenarios are named too)
          --repetitions N measured runs per contender (overrides the mode's)
          --output FILE   the report to write (default: docs/benchmarks.md of the repository)
          --work DIR      scratch folder for data and outputs (default: $DRAW_BENCH_WORK or /tmp/draw-bench-<checkout>)
          --list          list the scenarios and exit
          SCENARIO...     run only these scenarios (default: all of them; "all" names them all, e.g. with --micro)
        """;

    public static async Task<int> MainAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "--child")
        {
            return RunChild(args);
        }

        var mode = BenchmarkMode.Short;
        var micro = false;
        int? repetitions = null;
        string? output = null;
        string? work = null;
        var names = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--short":
                    mode = BenchmarkMode.Short;
                    break;
                case "--full":
                    mode = BenchmarkMode.Full;
                    break;
                case "--micro":
                    micro = true;
                    break;
                case "--repetitions" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    repetitions = n;
                    i++;
                    break;
                case "--output" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--work" when i + 1 < args.Length:
                    work = Path.GetFullPath(args[++i]);
                    break;
                case "--list":
                    foreach (var s in ScenarioRegistry.All())
                    {
                        Console.WriteLine($"{s.Name,-16} {s.Description}{(s.NotYetAvailable is { } r ? $" [not yet available: {r}]" : "")}");
                    }

                    return 0;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case "all":
                    names.AddRange(ScenarioRegistry.All().Select(s => s.Name));
                    break;
                default:
                    if (args[i].StartsWith('-') || ScenarioRegistry.Find(args[i]) is null)
                    {
                        Console.Error.WriteLine($"unknown option or scenario: {args[i]}\n{Usage}");
                        return 64;
                    }

                    names.Add(args[i]);
                    break;
            }
        }

        var scenarios = names.Count > 0
            ? names.Select(n => ScenarioRegistry.Find(n)!).DistinctBy(s => s.Name).ToList()
            : micro ? [] : ScenarioRegistry.All().ToList();
        output ??= Path.Combine(RepoPaths.Root, "docs", "benchmarks.md");
        work ??= Environment.GetEnvironmentVariable("DRAW_BENCH_WORK") is { Length: > 0 } w ? w : DefaultWorkFolder();
        Directory.CreateDirectory(work);
        FileStream workLock;
        try
        {
            // Runs sharing a work folder would empty each other's output folders.
            workLock = new FileStream(Path.Combine(work, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            Console.Error.WriteLine($"another benchmark run is using {work}; wait for it or pass --work DIR");
            return 75;
        }

        await using var held = workLock;
        var reps = repetitions ?? (mode == BenchmarkMode.Full ? 7 : 3);
        var log = Console.Out;
        var machine = MachineInfo.Collect();
        log.WriteLine($"draw benchmarks: {mode.ToString().ToLowerInvariant()} mode, {reps} runs per contender, {machine.Short}, load {machine.LoadAverage}");

        var sections = new Dictionary<string, string>();
        var failures = new List<string>();
        if (scenarios.Count > 0)
        {
            await ChildProgram.PublishAsync(work, log, CancellationToken.None);
            var context = ScenarioContext.Create(mode, work, log);
            var runner = new ScenarioRunner(context, reps, log);
            foreach (var scenario in scenarios)
            {
                var now = machine with { LoadAverage = MachineInfo.LoadAverageNow() };
                var outcome = await runner.RunAsync(scenario, CancellationToken.None);
                sections[scenario.Name] = MarkdownReport.ScenarioSection(outcome, now, mode);
                foreach (var (files, check) in outcome.Checks)
                {
                    var verdict = check.Met switch { true => "met", false => "NOT MET", null => "no verdict" };
                    log.WriteLine($"  {scenario.Name} / {files.Name}: {check.Target}: {verdict}. {check.Detail}");
                }
            }

            failures.AddRange(runner.DrawFailures);
        }

        if (micro)
        {
            var now = machine with { LoadAverage = MachineInfo.LoadAverageNow() };
            var started = DateTimeOffset.Now;
            var results = MicroRunner.Run(mode, Path.Combine(work, "BenchmarkDotNet.Artifacts"));
            if (results.Count == 0)
            {
                failures.Add("the micro-benchmarks produced no results");
            }

            sections[MarkdownReport.MicroSection] = MarkdownReport.MicroSectionText(results, now, mode, started);
        }

        var order = ScenarioRegistry.All().Select(s => s.Name).Append(MarkdownReport.MicroSection).ToList();
        var existing = File.Exists(output) ? await File.ReadAllTextAsync(output) : "";
        var commandLine = "dotnet run --project tests/Draw.Benchmarks -c Release --" + string.Concat(args.Select(a => " " + a));
        var text = MarkdownReport.Render(existing, order, sections, machine, commandLine);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var temp = output + ".tmp";
        await File.WriteAllTextAsync(temp, text);
        File.Move(temp, output, overwrite: true);
        log.WriteLine($"wrote {output}");
        foreach (var f in failures)
        {
            Console.Error.WriteLine($"DRAW failed: {f}");
        }

        return failures.Count == 0 ? 0 : 2;
    }

    /// <summary>/tmp/draw-bench-XXXXXXXX, one per checkout (worktrees of the same repository do not share it).</summary>
    private static string DefaultWorkFolder()
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RepoPaths.Root)))[..8];
        return Path.Combine(Path.GetTempPath(), "draw-bench-" + hash);
    }

    /// <summary>--child SCENARIO WORKLOAD LISTFILE OUTPUT_FOLDER: runs one DRAW workload and prints its report.</summary>
    private static int RunChild(string[] args)
    {
        if (args.Length != 5 || ScenarioRegistry.Find(args[1]) is not { } scenario)
        {
            Console.Error.WriteLine("usage: --child SCENARIO WORKLOAD LISTFILE OUTPUT_FOLDER");
            return 64;
        }

        var report = scenario.RunWorkload(args[2], new RunInput(FileSet.FromListFile(args[3]), args[4]));
        Console.WriteLine(WorkReport.Prefix + JsonSerializer.Serialize(report, ProcessRunner.JsonOptions));
        return 0;
    }
}
