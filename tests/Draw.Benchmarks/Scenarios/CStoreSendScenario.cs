using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Network.Client;
using Draw.Testing.Peers;

namespace Draw.Benchmarks.Scenarios;

/// <summary>C-STORE send: DRAW's SCU against storescu, both sending the same files over one association to one storescp.</summary>
public sealed class CStoreSendScenario : IBenchmarkScenario, IAsyncDisposable
{
    public const string Draw = "DRAW";
    public const string StoreScu = "storescu";
    private const string PortVariable = "DRAW_BENCH_STORESCP_PORT";
    private PeerProcess? _storeScp;
    private int _port;

    public string Name => "cstore-send";

    public string Description =>
        "Send a CT series over C-STORE (one association) to dcmtk's storescp on 127.0.0.1, DRAW's SCU against storescu; storescp (TCP_NODELAY=1, `+B`) keeps running for all runs.";

    public string Target => "DRAW's SCU at least as fast as storescu (× ≥ 1).";

    public IReadOnlyList<Contender> Contenders => _contenders ??=
    [
        new Contender(Draw, "`DicomClient.StoreFilesAsync` (one association, each file in its own transfer syntax) in a child process of the harness")
        {
            IsDraw = true,
            IsBaseline = true,
            RequiredProgram = "storescp",
            Command = i => Tools.Child(Name, "send", i) with { Environment = new Dictionary<string, string> { [PortVariable] = _port.ToString(CultureInfo.InvariantCulture) } },
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
            _port = global::Draw.Testing.FreePort.Next();
            _storeScp = await Dcmtk.StartStoreScpAsync(context.CleanOutputFolder(Name, "storescp"), _port);
        }

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
        if (table.Find(StoreScu) is { } peer && table.ProcessRatio(peer) is { } ratio && table.Baseline is { } draw)
        {
            yield return new TargetCheck("DRAW's SCU at least as fast as storescu", ratio >= 1, string.Create(CultureInfo.InvariantCulture,
                $"whole process: DRAW {draw.Wall!.Value.Median * 1000:0} ms, storescu {peer.Wall!.Value.Median * 1000:0} ms (x{ratio:0.00}); DRAW's send loop alone {draw.Work?.Median * 1000:0} ms ({table.Files.TotalBytes / 1e6 / draw.Work?.Median:0} MB/s)"));
        }
        else
        {
            yield return new TargetCheck("DRAW's SCU at least as fast as storescu", null, "not measured");
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
}
