namespace Draw.Benchmarks.Harness;

/// <summary>Median, minimum and maximum of a few measurements.</summary>
public readonly record struct Summary(double Median, double Min, double Max, int Count)
{
    public static Summary? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Summary(median, sorted[0], sorted[^1], sorted.Length);
    }
}

/// <summary>One measured run: wall time of the whole run (the whole process for process contenders), peak
/// resident memory of the process when known, and what the contender reported about its own work.</summary>
public sealed record Sample(double WallSeconds, long? PeakRssKb, WorkReport? Work);

/// <summary>All runs of one contender over one data set.</summary>
public sealed class ContenderResult(Contender contender)
{
    public Contender Contender { get; } = contender;

    public List<Sample> Samples { get; } = [];

    /// <summary>Runs over the file list repeated (when the scenario measures the steady state).</summary>
    public List<Sample> RepeatedSamples { get; } = [];

    /// <summary>Why there are no figures: not installed, or the run failed (with the error).</summary>
    public string? Problem { get; set; }

    public bool HasFigures => Problem is null && Samples.Count > 0;

    public Summary? Wall => Summary.Of(Samples.Select(s => s.WallSeconds));

    public Summary? Work => Samples.Count > 0 && Samples.All(s => s.Work is not null) ? Summary.Of(Samples.Select(s => s.Work!.WorkSeconds)) : null;

    /// <summary>CPU seconds in the work loop, when the contender reports them.</summary>
    public Summary? WorkCpu => Samples.Count > 0 && Samples.All(s => s.Work is { CpuSeconds: >= 0 }) ? Summary.Of(Samples.Select(s => s.Work!.CpuSeconds)) : null;

    public Summary? RepeatedWall => Summary.Of(RepeatedSamples.Select(s => s.WallSeconds));

    public double? PeakRssMb => Samples.Any(s => s.PeakRssKb is not null) ? Samples.Max(s => s.PeakRssKb ?? 0) / 1024.0 : null;

    /// <summary>Median bytes allocated per item inside the work loop (DRAW contenders).</summary>
    public double? AllocatedPerItem =>
        Samples.Count > 0 && Samples.All(s => s.Work is { AllocatedBytes: >= 0, Items: > 0 })
            ? Summary.Of(Samples.Select(s => (double)s.Work!.AllocatedBytes / s.Work.Items))?.Median
            : null;

    /// <summary>How many more files the repeated runs process than the single runs: (k - 1) N.</summary>
    public int ExtraFiles { get; set; }

    /// <summary>Steady-state seconds per file: the median over runs of (time over the list repeated k times - time
    /// over the list once, measured just before it) / ((k - 1) N). Null when not measured or when noise swamps it
    /// (a difference of zero or less).</summary>
    public double? PerFileSteadyState =>
        SteadyStateDifference is > 0 and var d && ExtraFiles > 0 ? d / ExtraFiles : null;

    /// <summary>True when the steady state was measured but the machine's noise was larger than the extra work.</summary>
    public bool SteadyStateSwampedByNoise => SteadyStateDifference is <= 0;

    private double? SteadyStateDifference =>
        RepeatedSamples.Count > 0 && RepeatedSamples.Count == Samples.Count
            ? Summary.Of(Samples.Zip(RepeatedSamples, (once, repeated) => repeated.WallSeconds - once.WallSeconds))?.Median
            : null;

    /// <summary>Steady-state bytes allocated per file: the extra allocation of the repeated runs per extra file.</summary>
    public double? AllocatedPerItemSteadyState
    {
        get
        {
            if (AllocatedPerItem is null || RepeatedSamples.Count == 0 || !RepeatedSamples.All(s => s.Work is { AllocatedBytes: >= 0 }))
            {
                return null;
            }

            var once = Summary.Of(Samples.Select(s => (double)s.Work!.AllocatedBytes))!.Value.Median;
            var repeated = Summary.Of(RepeatedSamples.Select(s => (double)s.Work!.AllocatedBytes))!.Value.Median;
            return ExtraFiles > 0 ? Math.Max(0, repeated - once) / ExtraFiles : null;
        }
    }
}

/// <summary>Every contender of a scenario over one data set: one table of the report.</summary>
public sealed class ContenderTable(FileSet files, IReadOnlyList<ContenderResult> results, int steadyStatePasses)
{
    /// <summary>How many times the list was repeated for the steady-state runs (0: not measured).</summary>
    public int SteadyStatePasses { get; } = steadyStatePasses;

    public FileSet Files { get; } = files;

    public IReadOnlyList<ContenderResult> Results { get; } = results;

    public ContenderResult? Baseline => Results.FirstOrDefault(r => r.Contender.IsBaseline && r.HasFigures);

    public ContenderResult? Find(string name) => Results.FirstOrDefault(r => r.Contender.Name == name && r.HasFigures);

    /// <summary>Contender's median wall time over the baseline's: above 1, DRAW is that many times faster.</summary>
    public double? ProcessRatio(ContenderResult r) => Ratio(r.Wall?.Median, Baseline?.Wall?.Median);

    public double? WorkRatio(ContenderResult r) => Ratio(r.Work?.Median, Baseline?.Work?.Median);

    public double? SteadyStateRatio(ContenderResult r) =>
        Ratio(r.PerFileSteadyState, Baseline?.PerFileSteadyState);

    private static double? Ratio(double? value, double? baseline) =>
        value is { } v && baseline is { } b && b > 0 ? v / b : null;
}

/// <summary>A scenario's outcome: one table per data set and the target checks, or why it did not run.</summary>
public sealed class ScenarioOutcome(IBenchmarkScenario scenario)
{
    public IBenchmarkScenario Scenario { get; } = scenario;

    public List<ContenderTable> Tables { get; } = [];

    public List<(FileSet Files, TargetCheck Check)> Checks { get; } = [];

    public string? NotRun { get; set; }

    public DateTimeOffset Started { get; set; }

    public TimeSpan Duration { get; set; }

    public int Repetitions { get; set; }

    /// <summary>Unmeasured runs per contender and data set before the measured ones (the most any data set had).</summary>
    public int WarmUpRuns { get; set; } = 1;
}
