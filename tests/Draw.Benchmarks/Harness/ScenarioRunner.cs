using System.Diagnostics;
using System.Globalization;

namespace Draw.Benchmarks.Harness;

/// <summary>
/// Runs a scenario: for each data set, unmeasured warm-up runs of every contender (one unless the scenario asks for
/// more: fills the page cache, so every contender reads warm files), then the measured repetitions, alternating contenders (A B C, B C A, ...:
/// the order rotates so that no contender always runs first or after the same one).
/// </summary>
public sealed class ScenarioRunner(ScenarioContext context, int repetitions, TextWriter log)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    /// <summary>DRAW contenders that failed: the harness exits non-zero when there are any.</summary>
    public List<string> DrawFailures { get; } = [];

    public async Task<ScenarioOutcome> RunAsync(IBenchmarkScenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var outcome = new ScenarioOutcome(scenario) { Started = DateTimeOffset.Now, Repetitions = repetitions };
        if (scenario.NotYetAvailable is { } reason)
        {
            outcome.NotRun = reason;
            log.WriteLine($"{scenario.Name}: not yet available ({reason})");
            return outcome;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var set in await scenario.PrepareAsync(context, cancellationToken))
            {
                var table = await RunSetAsync(scenario, set, outcome, cancellationToken);
                outcome.Tables.Add(table);
                foreach (var check in scenario.Evaluate(table))
                {
                    outcome.Checks.Add((set, check));
                }
            }
        }
        finally
        {
            if (scenario is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        outcome.Duration = clock.Elapsed;
        log.WriteLine($"{scenario.Name}: done in {clock.Elapsed.TotalSeconds:0.0} s");
        return outcome;
    }

    private async Task<ContenderTable> RunSetAsync(IBenchmarkScenario scenario, FileSet set, ScenarioOutcome outcome, CancellationToken cancellationToken)
    {
        var results = scenario.Contenders.Select(c => new ContenderResult(c)).ToList();
        foreach (var r in results)
        {
            if (r.Contender.RequiredProgram is { } program && !ProcessRunner.IsInstalled(program))
            {
                r.Problem = $"not installed ({program})";
                log.WriteLine($"{scenario.Name} / {set.Name}: {r.Contender.Name} skipped: {r.Problem}");
            }
        }

        var passes = scenario.SteadyStatePasses(set);
        var repeated = passes >= 2 ? scenario.SteadyStateSet(context, set, passes) : null;
        foreach (var r in results)
        {
            r.ExtraFiles = repeated is null ? 0 : repeated.Files.Count - set.Files.Count;
        }

        var active = results.Where(r => r.Problem is null).ToList();
        var warmUps = Math.Max(1, scenario.WarmUpRuns(set));
        outcome.WarmUpRuns = Math.Max(outcome.WarmUpRuns, warmUps);
        log.WriteLine($"{scenario.Name} / {set.Name}: {set.Files.Count} files, {set.TotalBytes / 1e6:0.0} MB; warm-up ({warmUps} run(s) per contender)");
        for (var w = 0; w < warmUps; w++)
        {
            foreach (var r in active)
            {
                await MeasureAsync(scenario, r, set, null, cancellationToken);
            }
        }

        for (var rep = 0; rep < repetitions; rep++)
        {
            var line = new List<string>();
            for (var k = 0; k < active.Count; k++)
            {
                var r = active[(k + rep) % active.Count];
                if (await MeasureAsync(scenario, r, set, r.Samples, cancellationToken) is { } sample)
                {
                    line.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Contender.Name} {sample.WallSeconds:0.000} s"));
                }
            }

            log.WriteLine($"{scenario.Name} / {set.Name}: run {rep + 1}/{repetitions}: {string.Join(", ", line)}");
        }

        // The repeated lists run after every single one: their bursts (thousands of files written, replaced or
        // deleted) leave the file system slower for a while (ext4 skips recently freed inodes when it allocates),
        // and that must not land on the next contender's single run.
        if (repeated is not null)
        {
            for (var rep = 0; rep < repetitions; rep++)
            {
                for (var k = 0; k < active.Count; k++)
                {
                    var r = active[(k + rep) % active.Count];
                    if (r.Contender.SteadyState)
                    {
                        await MeasureAsync(scenario, r, repeated, r.RepeatedSamples, cancellationToken);
                    }
                }
            }
        }

        return new ContenderTable(set, results, repeated is null ? 0 : passes);
    }

    /// <summary>One run; a failure marks the contender (and, for DRAW, the whole harness run) as failed.</summary>
    private async Task<Sample?> MeasureAsync(IBenchmarkScenario scenario, ContenderResult result, FileSet set, List<Sample>? into, CancellationToken cancellationToken)
    {
        if (result.Problem is not null)
        {
            return null;
        }

        try
        {
            var sample = await RunOnceAsync(scenario, result.Contender, set, cancellationToken);
            into?.Add(sample);
            return sample;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            result.Problem = "failed: " + e.Message.ReplaceLineEndings(" ");
            log.WriteLine($"{scenario.Name} / {set.Name}: {result.Contender.Name} {result.Problem}");
            if (result.Contender.IsDraw)
            {
                DrawFailures.Add($"{scenario.Name} / {set.Name} / {result.Contender.Name}: {e.Message}");
            }

            return null;
        }
    }

    private async Task<Sample> RunOnceAsync(IBenchmarkScenario scenario, Contender contender, FileSet set, CancellationToken cancellationToken)
    {
        var input = new RunInput(set, context.CleanOutputFolder(scenario.Name, contender.Name));
        await scenario.BeforeRunAsync(contender, cancellationToken);
        var (waited, stillBusy) = await QuietMachine.SettleAsync(cancellationToken);
        if (stillBusy || waited > TimeSpan.FromSeconds(0.5))
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name} / {set.Name}: before {contender.Name}: the machine settled in {waited.TotalMilliseconds:0} ms{(stillBusy ? ", still busy" : "")}"));
        }
        if (contender.Command is { } command)
        {
            return await ProcessRunner.RunAsync(command(input), RunTimeout, cancellationToken);
        }

        if (contender.Workload is { } workload)
        {
            var sample = await ProcessRunner.RunAsync(Tools.Child(scenario.Name, workload, input), RunTimeout, cancellationToken);
            return sample.Work is null ? throw new InvalidOperationException("the child process printed no result line") : sample;
        }

        if (contender.InProcess is not null || contender.InProcessAsync is not null)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var report = contender.InProcess is { } action ? action(input) : await contender.InProcessAsync!(input);
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            return new Sample(clock.Elapsed.TotalSeconds, null, report with { AllocatedBytes = report.AllocatedBytes >= 0 ? report.AllocatedBytes : allocated });
        }

        throw new NotSupportedException($"contender {contender.Name} has neither a command, a workload nor an in-process action");
    }
}
