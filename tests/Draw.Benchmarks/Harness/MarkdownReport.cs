using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Draw.Benchmarks.Harness;

/// <summary>One micro-benchmark row (BenchmarkDotNet): mean time and bytes allocated per operation.</summary>
public sealed record MicroResult(string Benchmark, string Input, double MeanNanoseconds, double StdDevNanoseconds, long? AllocatedBytes);

/// <summary>
/// Writes docs/benchmarks.md: a generated header (how to run, how the figures are measured, the machine) and one
/// section per scenario between begin/end markers. A run of some scenarios only replaces their sections and keeps
/// the others from the existing file, each section carrying its own date and machine.
/// </summary>
public static partial class MarkdownReport
{
    public const string MicroSection = "micro";

    public static string Render(
        string existing,
        IReadOnlyList<string> sectionOrder,
        IReadOnlyDictionary<string, string> newSections,
        MachineInfo machine,
        string commandLine)
    {
        ArgumentNullException.ThrowIfNull(sectionOrder);
        ArgumentNullException.ThrowIfNull(newSections);
        ArgumentNullException.ThrowIfNull(machine);
        var old = new Dictionary<string, string>();
        foreach (Match m in SectionRegex().Matches(existing ?? ""))
        {
            old[m.Groups["name"].Value] = m.Value;
        }

        var sb = new StringBuilder();
        sb.Append(Header(machine, commandLine));
        foreach (var name in sectionOrder)
        {
            sb.AppendLine();
            if (newSections.TryGetValue(name, out var fresh))
            {
                sb.Append(Wrap(name, fresh));
            }
            else if (old.TryGetValue(name, out var kept))
            {
                sb.AppendLine(kept);
            }
            else
            {
                sb.Append(Wrap(name, $"## {name}\n\nNot run yet: `dotnet run --project tests/Draw.Benchmarks -c Release -- {(name == MicroSection ? "--micro" : name)}`.\n"));
            }
        }

        return sb.ToString().ReplaceLineEndings("\n");
    }

    public static string ScenarioSection(ScenarioOutcome outcome, MachineInfo machine, BenchmarkMode mode)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(machine);
        var s = outcome.Scenario;
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"## {s.Name}"));
        sb.AppendLine();
        sb.AppendLine(s.Description);
        sb.AppendLine();
        sb.AppendLine(Inv($"**Target.** {s.Target}"));
        sb.AppendLine();
        if (outcome.NotRun is { } reason)
        {
            sb.AppendLine(Inv($"**Not yet available: {reason}.** No figures until then. Planned contenders:"));
            sb.AppendLine();
            sb.AppendLine("| Contender | How it will run |");
            sb.AppendLine("|---|---|");
            foreach (var c in s.Contenders)
            {
                sb.AppendLine(Inv($"| {c.Name} | {c.HowItRuns} |"));
            }

            return sb.ToString();
        }

        foreach (var table in outcome.Tables)
        {
            AppendTable(sb, s, table);
            var checks = outcome.Checks.Where(c => c.Files == table.Files).Select(c => c.Check).ToList();
            if (checks.Count > 0)
            {
                sb.AppendLine();
                foreach (var c in checks)
                {
                    var verdict = c.Met switch { true => "met", false => "**not met**", null => "no verdict" };
                    sb.AppendLine(Inv($"- {c.Target}: {verdict}. {c.Detail}."));
                }
            }

            sb.AppendLine();
        }

        sb.AppendLine(Inv($"_{machine.Short} ({machine.Cpu}); {outcome.Started:yyyy-MM-dd HH:mm zzz}; {mode.ToString().ToLowerInvariant()} mode, {outcome.Repetitions} measured runs per contender after {WarmUpText(outcome.WarmUpRuns)}; load average before the run {machine.LoadAverage}; took {outcome.Duration.TotalSeconds:0} s._"));
        return sb.ToString();
    }

    public static string MicroSectionText(IReadOnlyList<MicroResult> results, MachineInfo machine, BenchmarkMode mode, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(machine);
        var sb = new StringBuilder();
        sb.AppendLine("## Micro-benchmarks (BenchmarkDotNet)");
        sb.AppendLine();
        sb.AppendLine("In-process, steady state (after JIT warm-up), one CT slice per operation: `synthetic` is a generated 512x512 slice, `lung1` the first LUNG1-001 slice. From memory: the file's bytes in a MemoryStream; from disk: the file through the page cache.");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Input | Mean | StdDev | Allocated per operation |");
        sb.AppendLine("|---|---|--:|--:|--:|");
        foreach (var r in results)
        {
            var allocated = r.AllocatedBytes is { } b ? Inv($"{b / 1024.0:0.0} KB") : "n/a";
            sb.AppendLine(Inv($"| {r.Benchmark} | {r.Input} | {Time(r.MeanNanoseconds)} | {Time(r.StdDevNanoseconds)} | {allocated} |"));
        }

        sb.AppendLine();
        sb.AppendLine(Inv($"_{machine.Short} ({machine.Cpu}); {date:yyyy-MM-dd HH:mm zzz}; {(mode == BenchmarkMode.Full ? "BenchmarkDotNet default job" : "BenchmarkDotNet short job (3 warm-ups, 3 iterations)")}, in-process toolchain; load average before the run {machine.LoadAverage}._"));
        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, IBenchmarkScenario s, ContenderTable table)
    {
        var n = table.Files.Files.Count;
        var withWork = table.Results.Any(r => r.HasFigures && r.Work is not null);
        var withSteady = table.SteadyStatePasses >= 2;
        var withAlloc = table.Results.Any(r => r.HasFigures && r.AllocatedPerItem is not null);
        sb.AppendLine(Inv($"### {table.Files.Name}: {table.Files.Files.Count} files, {table.Files.TotalBytes / 1e6:0.0} MB"));
        sb.AppendLine();
        sb.AppendLine(table.Files.Description + (withSteady ? Inv($". Steady state: a list {table.SteadyStatePasses} times as long ({table.SteadyStatePasses * n} files) against once.") : "."));
        sb.AppendLine();
        var head = new List<string> { "Contender", "Whole process, median (min–max)", "Files/s", "× DRAW time" };
        if (withSteady)
        {
            head.AddRange(["Per file, steady state", "Files/s, steady state", "× DRAW steady"]);
        }

        if (withWork)
        {
            head.AddRange(["Work loop, median (min–max)", "Files/s in loop", "× DRAW loop"]);
        }

        if (withAlloc)
        {
            head.Add("Allocated per file");
        }

        head.Add("Peak RSS");
        sb.AppendLine("| " + string.Join(" | ", head) + " |");
        sb.AppendLine("|" + string.Concat(head.Select((_, i) => i == 0 ? "---|" : "--:|")));
        foreach (var r in table.Results)
        {
            var name = r.Contender.IsBaseline ? $"**{r.Contender.Name}**" : r.Contender.Name;
            var row = new List<string> { name };
            if (!r.HasFigures)
            {
                row.Add(Inv($"**{r.Problem ?? "no figures"}**"));
                row.AddRange(Enumerable.Repeat("–", head.Count - 2));
                sb.AppendLine("| " + string.Join(" | ", row) + " |");
                continue;
            }

            var wall = r.Wall!.Value;
            row.Add(Inv($"{Seconds(wall.Median)} ({Seconds(wall.Min)}–{Seconds(wall.Max)})"));
            row.Add(Inv($"{n / wall.Median:#,0}"));
            row.Add(RatioText(table.ProcessRatio(r), r));
            if (withSteady)
            {
                var pf = r.PerFileSteadyState;
                row.Add(pf is { } t ? Inv($"{t * 1000:0.000} ms") : r.SteadyStateSwampedByNoise ? "noise" : "n/a");
                row.Add(pf is > 0 ? Inv($"{1 / pf.Value:#,0}") : "n/a");
                row.Add(RatioText(table.SteadyStateRatio(r), r));
            }

            if (withWork)
            {
                if (r.Work is { } work)
                {
                    row.Add(Inv($"{Seconds(work.Median)} ({Seconds(work.Min)}–{Seconds(work.Max)})"));
                    row.Add(Inv($"{n / work.Median:#,0}"));
                    row.Add(RatioText(table.WorkRatio(r), r));
                }
                else
                {
                    row.AddRange(["n/a", "n/a", "–"]);
                }
            }

            if (withAlloc)
            {
                var steady = r.AllocatedPerItemSteadyState is { } st ? Inv($"; steady {st / 1024:0.0} KB") : "";
                row.Add(r.AllocatedPerItem is { } a ? Inv($"{a / 1024:0.0} KB{steady}") : "n/a");
            }

            row.Add(r.PeakRssMb is { } mb ? Inv($"{mb:0} MB") : "n/a");
            sb.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        sb.AppendLine();
        foreach (var r in table.Results)
        {
            sb.AppendLine(Inv($"- {r.Contender.Name}: {r.Contender.HowItRuns}."));
        }
    }

    private static string WarmUpText(int runs) => runs <= 1 ? "one warm-up" : Inv($"{runs} warm-up runs");

    private static string RatioText(double? ratio, ContenderResult r) =>
        r.Contender.IsBaseline ? "1" : ratio is { } x ? Inv($"{x:0.00}") : "–";

    private static string Seconds(double s) => s >= 10 ? Inv($"{s:0.0} s") : s >= 1 ? Inv($"{s:0.00} s") : Inv($"{s * 1000:0} ms");

    private static string Time(double ns) =>
        ns >= 1e6 ? Inv($"{ns / 1e6:0.00} ms") : ns >= 1e3 ? Inv($"{ns / 1e3:0.0} µs") : Inv($"{ns:0} ns");

    private static string Header(MachineInfo machine, string commandLine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmarks");
        sb.AppendLine();
        sb.AppendLine("<!-- Generated by tests/Draw.Benchmarks: do not edit by hand, rerun the command below. -->");
        sb.AppendLine();
        sb.AppendLine("DRAW against the tools users would otherwise use, on the same files, in the same run, on the same machine.");
        sb.AppendLine("This page is **generated**: never edit it by hand; rerun");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine("dotnet run --project tests/Draw.Benchmarks -c Release -- [--short|--full] [--micro] [--repetitions N] [--output FILE] [SCENARIO...]");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("- `--short` (default): a 48-slice synthetic series and LUNG1-001, 3 measured runs per contender; a few minutes on 2 cores (CI runs it as a smoke test, without timing assertions).");
        sb.AppendLine("- `--full`: a 300-slice synthetic series and LUNG1-001, 7 measured runs per contender; for deliberate runs.");
        sb.AppendLine("- `--micro`: the BenchmarkDotNet micro-benchmarks (parsing, writing); only they run unless scenarios are named too (`all` names every scenario).");
        sb.AppendLine("- `SCENARIO...`: run only these (`--list` names them); their sections are replaced and the others kept.");
        sb.AppendLine("- `--output FILE`: where to write this page (default `docs/benchmarks.md`).");
        sb.AppendLine();
        sb.AppendLine("## How the figures are measured");
        sb.AppendLine();
        sb.AppendLine("- Every contender runs as **one whole process per run**, DRAW included (the harness starts itself as a child with `--child`, published ReadyToRun as the worker and the CLI ship), so start-up counts for everyone. Wall time runs from process start to exit; **peak RSS** is GNU `time`'s maximum resident set size of the process (for a shell loop, of its largest child).");
        sb.AppendLine("- Contenders that can time their own **work loop** (DRAW, pydicom) report it too: start-up, runtime and import time excluded. DRAW also reports the bytes it **allocated** in the loop (`GC.GetTotalAllocatedBytes`).");
        sb.AppendLine("- **Steady state** (where a scenario asks for it): every contender also runs over a list k times as long, in one process (the same files repeated; for `cstore-receive`, copies with new SOP Instance UIDs, so that no receiver overwrites what it has just stored); per file = median over runs of (time over kN files − time over N files just before) / (k − 1)N (shown as noise when the machine's noise exceeds the extra work). Start-up, imports, runtime warm-up and JIT cancel out, the same way for every contender, C++ tools included. This is what a long-running gateway pays per file; the whole-process figures are what a one-off command pays.");
        sb.AppendLine("- Each data set gets one unmeasured warm-up run per contender (the page cache is warm for everyone), then the measured runs alternate between contenders (A B C, B C A, ...). Before every measured run the machine settles: `sync` writes back what the previous run left dirty, then the harness waits (at most 2 s) until the CPUs and disks are idle, so no contender pays for another's write-back or background work; the steady-state runs come after all the single runs, so their bursts of files do not slow the single runs. Tables give the median, minimum and maximum.");
        sb.AppendLine("- **× DRAW** = the contender's median time / DRAW's median time (the **bold** baseline row): above 1, DRAW is that many times faster.");
        sb.AppendLine("- dcmtk tools and Orthanc run with `TCP_NODELAY=1` in their environment. pydicom runs on Debian's `/usr/bin/python3`.");
        sb.AppendLine("- The machine may be shared: the load average before each scenario is printed under its tables.");
        sb.AppendLine();
        sb.AppendLine("## Last run");
        sb.AppendLine();
        sb.AppendLine(Inv($"- Command: `{commandLine}`"));
        sb.AppendLine($"- DRAW's child processes: {ChildProgram.Description}.");
        sb.AppendLine(Inv($"- Machine: {machine.Short}, {machine.Cpu}; {machine.Os}; {machine.Runtime}"));
        sb.AppendLine(Inv($"- Peers: {string.Join("; ", machine.Tools)}"));
        return sb.ToString();
    }

    private static string Wrap(string name, string body) => $"<!-- begin:{name} -->\n{body.TrimEnd()}\n<!-- end:{name} -->\n";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"<!-- begin:(?<name>[\w-]+) -->.*?<!-- end:\k<name> -->", RegexOptions.Singleline)]
    private static partial Regex SectionRegex();
}
