namespace Draw.Benchmarks.Harness;

/// <summary>
/// One whole-process comparison: DRAW and the tools users would otherwise use, on the same files, in the same
/// run. A new scenario is one class implementing this interface, listed in <see cref="Scenarios.ScenarioRegistry"/>.
/// The runner prepares the data sets, runs every contender alternately (A B C A B C ...), and writes one table.
/// </summary>
public interface IBenchmarkScenario
{
    /// <summary>Short name used on the command line, e.g. "header-scan".</summary>
    string Name { get; }

    /// <summary>One sentence: what is measured.</summary>
    string Description { get; }

    /// <summary>The target from the issue, as text (or why there is none).</summary>
    string Target { get; }

    /// <summary>Non-null when the scenario cannot run yet, e.g. "needs issue 5 (DICOM network)". The report
    /// lists the scenario with this reason and no numbers.</summary>
    string? NotYetAvailable => null;

    /// <summary>When 2 or more: every contender also runs over the file list repeated this many times (in one
    /// process); the extra time per extra file is the steady-state cost per file, free of start-up, runtime
    /// warm-up and JIT, measured the same way for every contender. 0: not measured.</summary>
    int SteadyStatePasses(FileSet files) => 0;

    /// <summary>The long list the steady state is measured over: by default the same files repeated.</summary>
    FileSet SteadyStateSet(ScenarioContext context, FileSet files, int passes) => context.Repeated(files, passes);

    /// <summary>Unmeasured runs of every contender before the measured ones (at least 1: the page cache is warm
    /// for all). A scenario measuring long-running servers asks for more, so that every server, DRAW's and the
    /// peers' alike, is measured warm (past its first associations, JIT tiered up) as it would be in service.</summary>
    int WarmUpRuns(FileSet files) => 1;

    /// <summary>Called before every run of a contender, outside its timing (a long-running server's store emptied, say).</summary>
    Task BeforeRunAsync(Contender contender, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The contenders. Exactly one should have <see cref="Contender.IsBaseline"/>: ratios are computed
    /// against it.</summary>
    IReadOnlyList<Contender> Contenders { get; }

    /// <summary>The data sets to run over. The default is the shared CT series (synthetic, and LUNG1-001 when
    /// present). A scenario that needs servers started can start them here and stop them in DisposeAsync
    /// (implement <see cref="IAsyncDisposable"/>).</summary>
    Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.CtSeries);

    /// <summary>Runs a DRAW workload named by a <see cref="Contender.Workload"/> contender. Called in a child
    /// process (the benchmark program started with --child), so it is measured like the peers' processes.</summary>
    WorkReport RunWorkload(string workload, RunInput input) =>
        throw new NotSupportedException($"{Name} has no workload {workload}");

    /// <summary>Checks the targets against the measured figures of one data set.</summary>
    IEnumerable<TargetCheck> Evaluate(ContenderTable table) => [];
}

/// <summary>A named list of input files, with a list file (one path a line) for the processes that take one.</summary>
public sealed record FileSet(string Name, string Description, IReadOnlyList<string> Files, long TotalBytes, string ListFile)
{
    /// <summary>The file set a child process gets back from its list file.</summary>
    public static FileSet FromListFile(string listFile)
    {
        var files = File.ReadAllLines(listFile).Where(l => l.Length > 0).ToList();
        return new FileSet(Path.GetFileNameWithoutExtension(listFile), "", files, files.Sum(f => new FileInfo(f).Length), listFile);
    }
}

/// <summary>What one run of a contender works on: the files, and an empty folder it may write into.</summary>
public sealed record RunInput(FileSet Files, string OutputFolder);

/// <summary>How an external program is started. Standard output is captured for a result line, or discarded
/// (sent to /dev/null by the shell that execs the program) when the program prints a lot.</summary>
public sealed record ProcessCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool DiscardOutput { get; init; }

    /// <summary>dcmtk tools and Orthanc run at their best: TCP_NODELAY=1, else every DIMSE message can wait for a
    /// delayed acknowledgement.</summary>
    public static IReadOnlyDictionary<string, string> PeerEnvironment { get; } = new Dictionary<string, string> { ["TCP_NODELAY"] = "1" };
}

/// <summary>
/// One side of a comparison. Exactly one of <see cref="Command"/> (an external program), <see cref="Workload"/>
/// (DRAW code run in a child process of this program, measured like an external program) or
/// <see cref="InProcess"/> / <see cref="InProcessAsync"/> (run inside the harness: wall time and allocated bytes,
/// no peak memory) is set.
/// </summary>
public sealed record Contender(string Name, string HowItRuns)
{
    public bool IsDraw { get; init; }

    public bool IsBaseline { get; init; }

    /// <summary>False for contenders whose steady state means nothing (one process per file): they are not run
    /// over the repeated list.</summary>
    public bool SteadyState { get; init; } = true;

    /// <summary>Program that must be installed for an external contender (looked up on PATH); reported
    /// as "not installed" otherwise.</summary>
    public string? RequiredProgram { get; init; }

    public Func<RunInput, ProcessCommand>? Command { get; init; }

    public string? Workload { get; init; }

    public Func<RunInput, WorkReport>? InProcess { get; init; }

    /// <summary>Like <see cref="InProcess"/>, for work that is asynchronous by nature (a browser, a live server).</summary>
    public Func<RunInput, Task<WorkReport>>? InProcessAsync { get; init; }

    /// <summary>DRAW code run in a child process of the harness.</summary>
    public static Contender Draw(string name, string howItRuns, string workload, bool baseline = false) =>
        new(name, howItRuns) { IsDraw = true, IsBaseline = baseline, Workload = workload };

    public static Contender Peer(string name, string howItRuns, string program, Func<RunInput, ProcessCommand> command) =>
        new(name, howItRuns) { RequiredProgram = program, Command = command };
}

/// <summary>What a contender reports about its own work, excluding start-up: items done, seconds inside the
/// work loop, (DRAW only) bytes allocated in the loop, and when reported the CPU seconds (user + system, every
/// thread) the process spent in the loop: on a shared, overloaded machine wall time is noise, CPU time much less.
/// Printed by child processes as one line starting with <see cref="Prefix"/>.</summary>
public sealed record WorkReport(int Items, double WorkSeconds, long AllocatedBytes = -1, double CpuSeconds = -1)
{
    public const string Prefix = "DRAW-BENCH-RESULT ";
}

/// <summary>One target of the issue, checked: the text, whether it is met, and the figures behind it.</summary>
public sealed record TargetCheck(string Target, bool? Met, string Detail);
