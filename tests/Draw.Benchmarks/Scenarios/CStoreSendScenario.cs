using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Network.Client;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Benchmarks.Scenarios;

/// <summary>
/// C-STORE send: DRAW's SCU against storescu, both sending the same files over one association to one storescp.
/// DRAW runs twice: as a child process of the harness (which also times its send loop), and as the `draw send`
/// command published ReadyToRun, which is what a user runs.
/// </summary>
public sealed class CStoreSendScenario : IBenchmarkScenario, IAsyncDisposable
{
    public const string Draw = "DRAW";
    public const string DrawCli = "draw send (published)";
    public const string StoreScu = "storescu";
    private const string PortVariable = "DRAW_BENCH_STORESCP_PORT";

    /// <summary>Steady state: every sender also sends the list this many times over one association.</summary>
    private const int Passes = 5;

    private PeerProcess? _storeScp;
    private int _port;
    private string? _cli;
    private string _cliProblem = "not published";

    public string Name => "cstore-send";

    public string Description => Inv(
        $"Send a CT series over C-STORE (one association) to dcmtk's storescp on 127.0.0.1, DRAW's SCU against storescu; storescp (TCP_NODELAY=1, `+B`) keeps running for all runs. Steady state: each sender also sends the list {Passes} times over one association, so (that time − the single list's) / ({Passes} − 1)N is the cost per instance with process start-up, JIT and association set-up cancelled out.");

    public string Target => "DRAW's SCU at least as fast as storescu (× ≥ 1).";

    public int SteadyStatePasses(FileSet files) => Passes;

    public IReadOnlyList<Contender> Contenders => _contenders ??=
    [
        new Contender(Draw, "`DicomClient.StoreFilesAsync` (one association, each file in its own transfer syntax) in a child process of the harness (published ReadyToRun, as `draw` is; the runtime settings `draw` ships, thread-pool spin limit 0, TieredPGO off)")
        {
            IsDraw = true,
            IsBaseline = true,
            RequiredProgram = "storescp",
            Command = i => Tools.Child(Name, "send", i) with
            {
                Environment = new Dictionary<string, string>(Tools.ProductRuntimeEnvironment) { [PortVariable] = _port.ToString(CultureInfo.InvariantCulture) },
            },
        },
        new Contender(DrawCli, "`draw send FILES... --to 127.0.0.1:PORT --aet STORESCP --quiet`: the command line as users run it, `dotnet publish Draw.Cli -c Release` (ReadyToRun, as Draw.Cli.csproj sets) into the work folder; the same `StoreFilesAsync`, plus argument parsing and the summary")
        {
            IsDraw = true,
            RequiredProgram = "storescp",
            Command = i => new ProcessCommand(_cli ?? throw new InvalidOperationException(_cliProblem),
                ["send", .. i.Files.Files, "--to", Inv($"127.0.0.1:{_port}"), "--aet", "STORESCP", "--calling-aet", "DRAWCLI", "--quiet"]),
        },
        Contender.Peer(StoreScu, "dcmtk `storescu -R` (one association, only the contexts the files need), every file on one command line", "storescu",
            i => new ProcessCommand("storescu", ["-R", "-aet", "STORESCU", "-aec", "STORESCP", "127.0.0.1", _port.ToString(CultureInfo.InvariantCulture), .. i.Files.Files])
            {
                Environment = ProcessCommand.PeerEnvironment,
            }),
    ];

    private IReadOnlyList<Contender>? _contenders;

    public async Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ProcessRunner.IsInstalled("storescp"))
        {
            _port = FreePort.Next();
            _storeScp = await Dcmtk.StartStoreScpAsync(context.CleanOutputFolder(Name, "storescp"), _port);
        }

        await PublishCliAsync(context, cancellationToken);
        return context.CtSeries;
    }

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (workload != "send")
        {
            throw new NotSupportedException($"{Name} has no workload {workload}");
        }

        var port = int.Parse(Environment.GetEnvironmentVariable(PortVariable) ?? throw new InvalidOperationException($"{PortVariable} not set"), CultureInfo.InvariantCulture);
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "STORESCP", CallingAeTitle = "DRAWSCU" });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var summary = client.StoreFilesAsync(input.Files.Files, progress: null, CancellationToken.None).GetAwaiter().GetResult();
        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return summary.Failed > 0 || summary.Associations != 1
            ? throw new InvalidOperationException($"{summary.Failed} files failed over {summary.Associations} associations: {summary.Files.FirstOrDefault(f => !f.Succeeded)?.Error}")
            : new WorkReport(input.Files.Files.Count, clock.Elapsed.TotalSeconds, allocated);
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const string target = "DRAW's SCU at least as fast as storescu";
        var draw = table.Baseline;
        var peer = table.Find(StoreScu);
        if (peer is not null && draw is not null && table.ProcessRatio(peer) is { } ratio)
        {
            var cli = table.Find(DrawCli) is { Wall: { } c } ? Inv($"; `draw send` published ReadyToRun {c.Median * 1000:0} ms (x{peer.Wall!.Value.Median / c.Median:0.00})") : "";
            yield return new TargetCheck(target, ratio >= 1, Inv(
                $"whole process: DRAW {draw.Wall!.Value.Median * 1000:0} ms, storescu {peer.Wall!.Value.Median * 1000:0} ms (x{ratio:0.00}); DRAW's send loop alone {draw.Work?.Median * 1000:0} ms ({table.Files.TotalBytes / 1e6 / draw.Work?.Median:0} MB/s){cli}"));
        }
        else
        {
            yield return new TargetCheck(target, null, "not measured");
        }

        if (table.SteadyStatePasses >= 2)
        {
            if (draw?.PerFileSteadyState is { } d && peer?.PerFileSteadyState is { } p)
            {
                var cli = table.Find(DrawCli)?.PerFileSteadyState is { } c ? Inv($"; `draw send` {c * 1000:0.00} ms (x{p / c:0.00})") : "";
                yield return new TargetCheck("steady state: " + target, p / d >= 1, Inv(
                    $"per instance, start-up and association set-up cancelled out: DRAW {d * 1000:0.00} ms, storescu {p * 1000:0.00} ms (x{p / d:0.00}){cli}"));
            }
            else
            {
                yield return new TargetCheck("steady state: " + target, null, "not measured, or the machine's noise exceeded the extra work");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_storeScp is not null)
        {
            await _storeScp.DisposeAsync();
            _storeScp = null;
        }
    }

    /// <summary>Publishes Draw.Cli as a user would deploy it (its project makes the publish ReadyToRun).</summary>
    private async Task PublishCliAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var output = Path.Combine(context.WorkFolder, "draw-cli");
        var project = Path.Combine(RepoPaths.Root, "Draw.Cli", "Draw.Cli.csproj");
        Console.WriteLine($"{Name}: publishing {project} to {output}");
        try
        {
            await ProcessRunner.RunAsync(new ProcessCommand("dotnet", ["publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet"]),
                TimeSpan.FromMinutes(10), cancellationToken);
            _cli = Path.Combine(output, "draw");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            _cliProblem = "dotnet publish Draw.Cli failed: " + e.Message;
            Console.WriteLine($"{Name}: {_cliProblem}");
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
