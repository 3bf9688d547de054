using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Anonymization;

namespace Draw.Benchmarks.Scenarios;

/// <summary>De-identification of a CT series into a new folder: DRAW's FolderDeidentifier against a pydicom script and a plain copy.</summary>
public sealed class DeidentifyScenario : IBenchmarkScenario
{
    public const string Draw = "DRAW";
    public const string DrawWarm = "DRAW, second pass";
    public const string DrawSettled = "DRAW, JIT settled";
    public const string DrawDurable = "DRAW, each output fsynced";
    public const string DrawWarmDurable = "DRAW, second pass, each output fsynced";
    public const string Pydicom = "pydicom";
    public const string PydicomWarm = "pydicom, second pass";
    public const string Copy = "plain copy";

    /// <summary>Passes before the timed one in the settled row, each followed by a pause in which the runtime's
    /// background compiler promotes the hot code (as between a worker's series).</summary>
    private const int SettlePasses = 12;
    private static readonly TimeSpan SettlePause = TimeSpan.FromMilliseconds(250);

    public string Name => "deidentify";

    public string Description =>
        "De-identify every file of a CT series into a new folder (PS3.15 basic profile, UIDs remapped consistently, dates shifted), against a pydicom script and a plain copy of the files.";

    public string Target => "At least 10 times pydicom's speed; within 2 times a plain copy.";

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        Contender.Draw(Draw, "`FolderDeidentifier.DeidentifyFilesAsync` with `DeidentificationProfile.Default`, `InMemoryUidMap` and `InMemoryPatientPseudonymizer`, as the pipeline's package step runs it (batches of 512, as many files at once as cores, pixel data copied undecoded, atomic writes, the outputs left to the page cache: the step flushes to disk only the zip it makes of them, as the pydicom script and `cp` flush nothing), first pass in a fresh process, in a child process", "deidentify-no-fsync", baseline: true),
        Contender.Draw(DrawWarm, "as DRAW, the loop timed is a second de-identification of the list in the same process, into a new folder (the first pass's removed): what a running worker pays", "deidentify-warm-no-fsync"),
        Contender.Draw(DrawSettled, $"as DRAW, the loop timed is the {SettlePasses + 1}th pass over the list in the same process, each earlier pass followed by a {SettlePause.TotalMilliseconds:0} ms pause as between a worker's series (the runtime's tiered compilation promotes the hot code to optimised code in the background): a long-running worker's steady state", "deidentify-settled-no-fsync"),
        Contender.Draw(DrawDurable, "as DRAW with `FlushToDisk` on, the library's default and what `draw deid` does: every output flushed to disk (fsync) before the call returns, in one group per batch, each file's writeback started as it is written; for comparison, since neither peer flushes", "deidentify"),
        Contender.Draw(DrawWarmDurable, "as DRAW, second pass, with every output flushed to disk as above", "deidentify-warm"),
        Contender.Peer(Pydicom, "our pydicom script (Python/pydicom_deidentify.py): `dcmread`, the basic profile's main attributes blanked or replaced, private elements removed, dates shifted, every instance UID remapped through one dict (`Dataset.walk`), `save_as`; one /usr/bin/python3 process, one core", Tools.Python,
            i => Tools.PythonScript("pydicom_deidentify.py", i.Files.ListFile, i.OutputFolder)),
        Contender.Peer(PydicomWarm, "as pydicom, the loop timed is a second pass over the list in the same process, into a new folder (the first pass's removed)", Tools.Python,
            i => Tools.PythonScript("pydicom_deidentify.py", i.Files.ListFile, i.OutputFolder, "2")),
        Contender.Peer(Copy, "`cp -t OUT FILES...`: the floor any de-identification into a new folder pays (read and write every byte)", "cp",
            i => new ProcessCommand("cp", ["-t", i.OutputFolder, .. i.Files.Files])),
    ];

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (workload is not ("deidentify" or "deidentify-no-fsync" or "deidentify-warm" or "deidentify-warm-no-fsync" or "deidentify-settled-no-fsync"))
        {
            throw new NotSupportedException($"{Name} has no workload {workload}");
        }

        var options = new FolderDeidentificationOptions { FlushToDisk = workload is "deidentify" or "deidentify-warm" };
        var engine = new Deidentifier(DeidentificationProfile.Default, new InMemoryUidMap(), new InMemoryPatientPseudonymizer());
        var earlier = workload switch
        {
            "deidentify-warm" or "deidentify-warm-no-fsync" => 1,
            "deidentify-settled-no-fsync" => SettlePasses,
            _ => 0,
        };
        // Every pass writes into a folder of its own, as the worker packages each series afresh; an earlier pass's
        // folder is removed before the next (outside the timing). Writing over the earlier outputs would measure
        // the file system instead: replacing a file whose old copy is being written back waits for that write.
        for (var pass = 0; pass < earlier; pass++)
        {
            var folder = Path.Combine(input.OutputFolder, $"pass-{pass}");
            FolderDeidentifier.DeidentifyFilesAsync(input.Files.Files, folder, engine, options).GetAwaiter().GetResult();
            Directory.Delete(folder, recursive: true);
            if (workload == "deidentify-settled-no-fsync")
            {
                Thread.Sleep(SettlePause);
            }
        }

        BackgroundCompiler.WaitUntilQuiet();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = FolderDeidentifier.DeidentifyFilesAsync(input.Files.Files, Path.Combine(input.OutputFolder, "timed"), engine, options).GetAwaiter().GetResult();
        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return result.Written != input.Files.Files.Count
            ? throw new InvalidOperationException($"{result.Written} of {input.Files.Files.Count} files written: {result.Failures.FirstOrDefault()?.Error}")
            : new WorkReport(result.Written, clock.Elapsed.TotalSeconds, allocated);
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Baseline?.Work is null)
        {
            yield return new TargetCheck("DRAW measured", false, "DRAW did not run");
            yield break;
        }

        var copy = table.Find(Copy)?.Wall;
        foreach (var (draw, py, pass) in new[] { (Draw, Pydicom, "first pass in a fresh process"), (DrawWarm, PydicomWarm, "second pass"), (DrawSettled, PydicomWarm, "JIT settled (pydicom: second pass)") })
        {
            if (table.Find(draw)?.Work is not { } loop)
            {
                continue;
            }

            if (table.Find(py)?.Work is { } peer)
            {
                yield return new TargetCheck($"at least 10 times pydicom's speed, {pass}", peer.Median / loop.Median >= 10, Inv(
                    $"work loops (start-up and imports excluded): DRAW {loop.Median * 1000:0} ms, pydicom {peer.Median * 1000:0} ms (x{peer.Median / loop.Median:0.0})"));
            }

            if (copy is { } cp)
            {
                yield return new TargetCheck($"within 2 times a plain copy, {pass}", loop.Median <= 2 * cp.Median, Inv(
                    $"DRAW's work loop {loop.Median * 1000:0} ms, x{loop.Median / cp.Median:0.00} the whole `cp` process ({cp.Median * 1000:0} ms, its start-up about a millisecond)"));
            }
        }

        if (table.Find(DrawDurable)?.Work is { } durable && table.Find(DrawWarmDurable)?.Work is { } warmDurable
            && table.Find(Pydicom)?.Work is { } py1 && table.Find(PydicomWarm)?.Work is { } py2)
        {
            var copied = copy is { } c ? Inv($"; x{durable.Median / c.Median:0.00} and x{warmDurable.Median / c.Median:0.00} the `cp` process") : "";
            yield return new TargetCheck("for comparison, every output fsynced (`draw deid`; neither peer flushes)", null, Inv(
                $"first pass {durable.Median * 1000:0} ms (x{py1.Median / durable.Median:0.0} pydicom), second pass {warmDurable.Median * 1000:0} ms (x{py2.Median / warmDurable.Median:0.0} pydicom){copied}"));
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
