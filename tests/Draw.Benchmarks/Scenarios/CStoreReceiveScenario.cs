using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Network.Server;
using Draw.Testing.Peers;

namespace Draw.Benchmarks.Scenarios;

/// <summary>
/// C-STORE receive: one storescu process (one association) sends a CT series to each receiver in turn; the
/// measured process is storescu, so the figure is the time the receiver makes a sender wait. The receivers are
/// DRAW's SCP (<see cref="DicomServer.StartFolderSinkAsync"/> in a child process), dcmtk's storescp and Orthanc.
/// DRAW's SCP and storescp run under GNU time and are restarted for each data set, so their peak RSS is known per
/// data set (the synthetic series at 256² and 512² show whether the SCP's memory grows with the file size).
/// </summary>
public sealed class CStoreReceiveScenario : IBenchmarkScenario, IAsyncDisposable
{
    public const string Draw = "storescu → DRAW";
    public const string DrawDurable = "storescu → DRAW, fsync per instance";
    public const string StoreScp = "storescu → storescp";
    public const string Orthanc = "storescu → Orthanc";
    public const string Floor = "storescu → storescp, storing nothing";
    private const string OrthancProgram = "/usr/sbin/Orthanc";
    private const string CallingAe = "STORESCU";

    /// <summary>Associations every receiver serves before the measured ones: servers are measured warm, as in service.</summary>
    /// <summary>
    /// Unmeasured associations per receiver and data set before the measured ones, every receiver alike: enough
    /// for .NET's tiered compilation to finish with DRAW's per-association code (a method is recompiled optimised
    /// once it has run 30 times), as it has in a listener that has been up for a while.
    /// </summary>
    private const int WarmUps = 32;

    /// <summary>Steady state: storescu also sends the list this many times over one association.</summary>
    private const int Passes = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, (long? Draw, long? DrawDurable, long? StoreScp)> _peaks = [];
    private ScenarioContext? _context;
    private OrthancServer? _orthanc;
    private readonly List<string> _stores = [];
    private LongRunningProcess? _drawScp;
    private LongRunningProcess? _drawDurableScp;
    private LongRunningProcess? _storeScp;
    private LongRunningProcess? _floorScp;
    private int _drawPort;
    private int _drawDurablePort;
    private int _storeScpPort;
    private int _floorPort;
    private string? _servingSet;

    public string Name => "cstore-receive";

    public string Description => Inv(
        $"Receive a CT series over C-STORE on 127.0.0.1: one `storescu` process (one association, `-R`) sends every file to DRAW's SCP, dcmtk's storescp or Orthanc; the wall time of storescu is measured. The receivers are long-running servers, so each is measured warm, as it runs once it has been up for a while: {WarmUps} unmeasured associations of the same files (every receiver alike) before the measured runs, enough for .NET's tiered compilation to have optimised DRAW's per-association code (a method is recompiled once it has run 30 times). Before every run the harness lets the machine settle (`sync`, then CPUs and disks idle), so no receiver pays for the previous one's background work. Steady state: storescu sends the list and {Passes - 1} copies of it with new SOP Instance UIDs ({Passes} times as many distinct instances) over one association; (that time − the single list's) / ({Passes} − 1)N is the receiver's cost per instance with process start-up and association set-up cancelled out. Every run sends instances its receiver does not hold yet, as a gateway receives new studies: the receivers' stores are emptied before each run, outside the timing. The steady-state associations run after all the single ones: a burst of hundreds of files written and then deleted slows the file system's next allocations for a while (ext4 passes over recently freed inodes), and that used to land on the next single run.");

    public string Target => "DRAW's SCP at least as fast as storescp (× ≥ 1) and at least 5 times as fast as Orthanc; the SCP's memory flat as the file size grows.";

    public int WarmUpRuns(FileSet files) => WarmUps;

    public int SteadyStatePasses(FileSet files) => Passes;

    /// <summary>Distinct instances, as a sender of new studies sends them: no receiver overwrites what it just stored.</summary>
    public FileSet SteadyStateSet(ScenarioContext context, FileSet files, int passes)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.DistinctCopies(files, passes);
    }

    public IReadOnlyList<Contender> Contenders => _contenders ??=
    [
        Contender.Peer(Draw, "DRAW's C-STORE SCP (`DicomServer.StartFolderSinkAsync`, bound to 127.0.0.1) in a child process of the harness with the Worker's runtime settings (thread-pool spin limit 0, TieredPGO off), writing each instance to a folder; `FlushToDisk = false`, so like storescp it leaves the files to the page cache (compared like with like)", "storescu",
            i => StoreScu(i, "DRAW", EnsureReceivers(i).Draw)) with { IsDraw = true, IsBaseline = true },
        Contender.Peer(DrawDurable, "the same SCP with the product's default `FlushToDisk = true`: each file is fsynced before the success response, so a success means the instance survives a power cut (storescp and Orthanc do not do this)", "storescu",
            i => StoreScu(i, "DRAW", EnsureReceivers(i).DrawDurable)) with { IsDraw = true },
        Contender.Peer(StoreScp, "dcmtk `storescp +B` (bit-preserving, one process, no fork) writing each instance to a folder; storescp 3.6.7 cannot bind to one address, it listens on all interfaces", "storescp",
            i => StoreScu(i, "STORESCP", EnsureReceivers(i).StoreScp)),
        Contender.Peer(Floor, "dcmtk `storescp --ignore`: receives every instance and answers success without writing anything: storescu's own cost plus dcmtk's receiving alone. A receiver that also stores is unlikely to be faster, so Orthanc's time over this one is about the best ratio a receiver could reach here", "storescp",
            i => StoreScu(i, "STORESCP", EnsureReceivers(i).Floor)),
        Contender.Peer(Orthanc, "Orthanc (Debian package) with its own storage and SQLite index, uncompressed, started once for all data sets", OrthancProgram,
            i => StoreScu(i, _orthanc?.AeTitle ?? "ORTHANC", _orthanc?.DicomPort ?? throw new InvalidOperationException("Orthanc is not running"))),
    ];

    private IReadOnlyList<Contender>? _contenders;

    public async Task<IReadOnlyList<FileSet>> PrepareAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var slices = context.Mode == BenchmarkMode.Full ? 300 : 48;
        var small = ScenarioData.SyntheticSeries(context, slices, 256, Console.Out);
        if (ProcessRunner.IsInstalled(OrthancProgram))
        {
            _orthanc = await OrthancServer.StartAsync([new OrthancModality("storescu", CallingAe, 11112)]);
        }

        return [small, .. context.CtSeries];
    }

    /// <summary>Stops the receivers after each data set (their peak RSS is then known) and checks the targets.</summary>
    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        StopReceiversAsync().GetAwaiter().GetResult();
        var checks = new List<TargetCheck>();
        var draw = table.Baseline;
        _peaks.TryGetValue(table.Files.Name, out var peaks);
        foreach (var (name, target, minimum) in new[] { (StoreScp, "DRAW's SCP at least as fast as storescp", 1.0), (Orthanc, "DRAW's SCP at least 5 times as fast as Orthanc", 5.0) })
        {
            if (table.Find(name) is { } peer && table.ProcessRatio(peer) is { } ratio)
            {
                var durable = table.Find(DrawDurable) is { Wall: { } d } ? Inv($"; DRAW with an fsync per instance (the product default) {d.Median * 1000:0} ms (x{peer.Wall!.Value.Median / d.Median:0.00})") : "";
                var floor = name == Orthanc && table.Find(Floor) is { Wall: { } f } ? Inv($"; to storescp storing nothing {f.Median * 1000:0} ms (x{peer.Wall!.Value.Median / f.Median:0.00}, about the best a receiver could reach here)") : "";
                checks.Add(new TargetCheck(target, ratio >= minimum, Inv(
                    $"storescu takes {draw!.Wall!.Value.Median * 1000:0} ms to send to DRAW without fsync, {peer.Wall!.Value.Median * 1000:0} ms to {name[11..]} (x{ratio:0.00}){durable}{floor}")));
            }
            else
            {
                checks.Add(new TargetCheck(target, null, $"not measured ({table.Find(name)?.Problem ?? "no figures"})"));
            }
        }

        checks.AddRange(SteadyStateChecks(table));
        checks.Add(new TargetCheck("receivers' peak RSS (GNU time around the receiver, restarted per data set)", null,
            Inv($"DRAW's SCP {Mb(peaks.Draw)} (with fsync {Mb(peaks.DrawDurable)}), storescp {Mb(peaks.StoreScp)}; Orthanc not measured (started once by the shared test runner)")));
        var smallName = _peaks.Keys.FirstOrDefault(k => k.EndsWith("x256", StringComparison.Ordinal));
        if (table.Files.Name.StartsWith("synthetic", StringComparison.Ordinal) && !table.Files.Name.EndsWith("x256", StringComparison.Ordinal)
            && smallName is not null && _peaks[smallName].Draw is { } smallKb && peaks.Draw is { } largeKb)
        {
            checks.Add(new TargetCheck("DRAW's SCP memory flat as the file size grows", largeKb <= smallKb * 1.25, Inv(
                $"peak RSS {smallKb / 1024.0:0} MB receiving 256x256 slices ({smallName}), {largeKb / 1024.0:0} MB receiving 512x512 slices (files 4 times larger); flat means within 25%")));
        }

        return checks;
    }

    /// <summary>The same targets on the steady-state cost per instance (start-up and association set-up cancelled out).</summary>
    private static IEnumerable<TargetCheck> SteadyStateChecks(ContenderTable table)
    {
        if (table.SteadyStatePasses < 2)
        {
            yield break;
        }

        foreach (var (name, target, minimum) in new[] { (StoreScp, "steady state: DRAW's SCP at least as fast as storescp", 1.0), (Orthanc, "steady state: DRAW's SCP at least 5 times as fast as Orthanc", 5.0) })
        {
            var draw = table.Baseline?.PerFileSteadyState;
            var peer = table.Find(name)?.PerFileSteadyState;
            if (draw is null || peer is null)
            {
                yield return new TargetCheck(target, null, "not measured, or the machine's noise exceeded the extra work");
                continue;
            }

            var ratio = peer.Value / draw.Value;
            var durable = table.Find(DrawDurable)?.PerFileSteadyState is { } d ? Inv($"; DRAW with an fsync per instance {d * 1000:0.00} ms (x{peer.Value / d:0.00})") : "";
            var floor = name == Orthanc && table.Find(Floor)?.PerFileSteadyState is { } f ? Inv($"; to storescp storing nothing {f * 1000:0.00} ms (x{peer.Value / f:0.00}, about the best a receiver could reach here)") : "";
            yield return new TargetCheck(target, ratio >= minimum, Inv(
                $"per instance, storescu sending to DRAW without fsync {draw.Value * 1000:0.00} ms, to {name[11..]} {peer.Value * 1000:0.00} ms (x{ratio:0.00}){durable}{floor}"));
        }
    }

    /// <summary>
    /// Every run sends instances its receiver does not hold yet, as a gateway receives new studies: the stores are
    /// emptied first, outside the timing, instead of each receiver overwriting the previous run's copies.
    /// </summary>
    public async Task BeforeRunAsync(Contender contender, CancellationToken cancellationToken)
    {
        foreach (var store in _stores.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(store))
            {
                File.Delete(file);
            }
        }

        if (_orthanc is not null && contender.Name == Orthanc)
        {
            foreach (var patient in await _orthanc.GetIdsAsync("patients"))
            {
                using var response = await _orthanc.Http.DeleteAsync($"patients/{patient}", cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }
    }

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (workload is not ("listen" or "listen-durable"))
        {
            throw new NotSupportedException($"{Name} has no workload {workload}");
        }

        // The receiver: runs until the harness stops it (SIGTERM); the port it bound goes to a file.
        var options = new DicomServerOptions { AeTitle = "DRAW", Port = 0, FlushToDisk = workload == "listen-durable" };
        var server = DicomServer.StartFolderSinkAsync(Path.Combine(input.OutputFolder, "received"), options).GetAwaiter().GetResult();
        var portFile = Path.Combine(input.OutputFolder, "port");
        File.WriteAllText(portFile + ".tmp", server.Port.ToString(CultureInfo.InvariantCulture));
        File.Move(portFile + ".tmp", portFile);
        Thread.Sleep(Timeout.Infinite);
        return new WorkReport(0, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await StopReceiversAsync();
        if (_orthanc is not null)
        {
            await _orthanc.DisposeAsync();
            _orthanc = null;
        }
    }

    private static ProcessCommand StoreScu(RunInput input, string calledAe, int port) =>
        new("storescu", ["-R", "-aet", CallingAe, "-aec", calledAe, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. input.Files.Files])
        {
            Environment = ProcessCommand.PeerEnvironment,
        };

    /// <summary>Starts DRAW's SCP and storescp for the data set about to be sent, if not already running for it.</summary>
    private (int Draw, int DrawDurable, int StoreScp, int Floor) EnsureReceivers(RunInput input)
    {
        if (_servingSet == input.Files.Name && _drawScp is not null && _drawDurableScp is not null && _storeScp is not null && _floorScp is not null)
        {
            return (_drawPort, _drawDurablePort, _storeScpPort, _floorPort);
        }

        StopReceiversAsync().GetAwaiter().GetResult();
        _stores.Clear();
        var context = _context ?? throw new InvalidOperationException("not prepared");
        (_drawScp, _drawPort) = StartDrawReceiver(context, "listen", "receiver-draw");
        (_drawDurableScp, _drawDurablePort) = StartDrawReceiver(context, "listen-durable", "receiver-draw-durable");

        if (ProcessRunner.IsInstalled("storescp"))
        {
            var scpOut = context.CleanOutputFolder(Name, "receiver-storescp");
            _stores.Add(scpOut);
            (_storeScp, _storeScpPort) = StartStoreScp("--output-directory", scpOut, "+B", "--filename-extension", ".dcm");
            (_floorScp, _floorPort) = StartStoreScp("--ignore");
        }

        _servingSet = input.Files.Name;
        return (_drawPort, _drawDurablePort, _storeScpPort, _floorPort);
    }

    private (LongRunningProcess Process, int Port) StartDrawReceiver(ScenarioContext context, string workload, string folder)
    {
        var output = context.CleanOutputFolder(Name, folder);
        _stores.Add(Path.Combine(output, "received"));
        var empty = Path.Combine(context.WorkFolder, "lists", "empty.list");
        File.WriteAllText(empty, "");
        var process = LongRunningProcess.Start(Tools.Child(Name, workload, new RunInput(new FileSet("empty", "", [], 0, empty), output)));
        return (process, int.Parse(process.WaitForFile(Path.Combine(output, "port"), StartTimeout), CultureInfo.InvariantCulture));
    }

    /// <summary>dcmtk's storescp as AE STORESCP, accepting every transfer syntax, on a free port, with the given options.</summary>
    private static (LongRunningProcess Process, int Port) StartStoreScp(params string[] options)
    {
        var port = global::Draw.Testing.FreePort.Next();
        var process = LongRunningProcess.Start(new ProcessCommand("storescp",
            ["--aetitle", "STORESCP", .. options, "+xa", port.ToString(CultureInfo.InvariantCulture)])
        {
            Environment = ProcessCommand.PeerEnvironment,
        });
        process.WaitForPort(port, StartTimeout);
        return (process, port);
    }

    private async Task StopReceiversAsync()
    {
        if (_servingSet is null)
        {
            return;
        }

        long? drawKb = null;
        long? durableKb = null;
        long? scpKb = null;
        if (_drawScp is not null)
        {
            await _drawScp.DisposeAsync();
            drawKb = _drawScp.PeakRssKb;
            _drawScp = null;
        }

        if (_drawDurableScp is not null)
        {
            await _drawDurableScp.DisposeAsync();
            durableKb = _drawDurableScp.PeakRssKb;
            _drawDurableScp = null;
        }

        if (_storeScp is not null)
        {
            await _storeScp.DisposeAsync();
            scpKb = _storeScp.PeakRssKb;
            _storeScp = null;
        }

        if (_floorScp is not null)
        {
            await _floorScp.DisposeAsync();
            _floorScp = null;
        }

        _peaks[_servingSet] = (drawKb, durableKb, scpKb);
        _servingSet = null;
    }

    private static string Mb(long? kb) => kb is { } k ? Inv($"{k / 1024.0:0} MB") : "n/a";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
