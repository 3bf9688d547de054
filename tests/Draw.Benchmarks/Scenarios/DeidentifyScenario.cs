using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Anonymization;

namespace Draw.Benchmarks.Scenarios;

/// <summary>De-identification of a CT series into a new folder: DRAW's FolderDeidentifier against a pydicom script and a plain copy.</summary>
public sealed class DeidentifyScenario : IBenchmarkScenario
{
    public const string Draw = "DRAW";
    public const string DrawNoFsync = "DRAW, no fsync";
    public const string DrawWarm = "DRAW, second pass";
    public const string DrawWarmNoFsync = "DRAW, second pass, no fsync";
    public const string DrawSettledNoFsync = "DRAW, JIT settled, no fsync";
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
        Contender.Draw(Draw, "`FolderDeidentifier.DeidentifyFilesAsync` with `DeidentificationProfile.Default`, `InMemoryUidMap` and `InMemoryPatientPseudonymizer` (default options: batches of 512, as many files at once as cores, pixel data copied undecoded, atomic writes, every output flushed to disk (fsync) before the call returns, in one group per batch), in a child process", "deidentify", baseline: true),
        Contender.Draw(DrawNoFsync, "as DRAW with `FlushToDisk = false`: the outputs are left to the page cache, as `cp` and the pydicom script leave them (like with like)", "deidentify-no-fsync"),
        Contender.Draw(DrawWarm, "as DRAW, the loop timed is a second de-identification of the list in the same process, into a new folder (the first pass's removed): JIT warm, what a running worker pays", "deidentify-warm"),
        Contender.Draw(DrawWarmNoFsync, "as DRAW, second pass, with `FlushToDisk = false`: JIT warm and the outputs left to the page cache, as the pydicom script's second pass and `cp` leave them (like with like for both)", "deidentify-warm-no-fsync"),
        Contender.Draw(DrawSettledNoFsync, $"as DRAW without fsync, the loop timed is the {SettlePasses + 1}th pass over the list in the same process, each earlier pass followed by a {SettlePause.TotalMilliseconds:0} ms pause as between a worker's series (the runtime's tiered compilation promotes the hot code to optimised code in the background; by the second pass much of it still runs unoptimised): a long-running worker's steady state, outputs left to the page cache as `cp` and pydicom leave them", "deidentify-settled-no-fsync"),
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
        var draw = table.Baseline;
        if (draw?.Work is not { } drawLoop)
        {
            yield return new TargetCheck("DRAW measured", false, "DRAW did not run");
            yield break;
        }

        if (table.Find(DrawWarm)?.Work is { } drawWarm && table.Find(PydicomWarm)?.Work is { } pyWarm)
        {
            yield return new TargetCheck("at least 10 times pydicom's speed, second pass (JIT and imports warm)", pyWarm.Median / drawWarm.Median >= 10, Inv(
                $"DRAW {drawWarm.Median * 1000:0} ms, pydicom {pyWarm.Median * 1000:0} ms (x{pyWarm.Median / drawWarm.Median:0.0})"));
        }

        if (table.Find(DrawWarmNoFsync)?.Work is { } warmNoFsync && table.Find(PydicomWarm)?.Work is { } pyWarm2)
        {
            yield return new TargetCheck("at least 10 times pydicom's speed, like with like (second pass, neither flushes to disk)", pyWarm2.Median / warmNoFsync.Median >= 10, Inv(
                $"DRAW {warmNoFsync.Median * 1000:0} ms, pydicom {pyWarm2.Median * 1000:0} ms (x{pyWarm2.Median / warmNoFsync.Median:0.0})"));
        }

        if (table.Find(DrawSettledNoFsync)?.Work is { } settled && table.Find(PydicomWarm)?.Work is { } pyWarm3)
        {
            yield return new TargetCheck("at least 10 times pydicom's speed, JIT settled (pydicom: second pass), neither flushing to disk", pyWarm3.Median / settled.Median >= 10, Inv(
                $"DRAW {settled.Median * 1000:0} ms, pydicom {pyWarm3.Median * 1000:0} ms (x{pyWarm3.Median / settled.Median:0.0})"));
            if (table.Find(Copy)?.Wall is { } copied)
            {
                yield return new TargetCheck("within 2 times a plain copy, JIT settled, neither flushing to disk", settled.Median <= 2 * copied.Median, Inv(
                    $"DRAW {settled.Median * 1000:0} ms in its loop, x{settled.Median / copied.Median:0.00} the whole `cp` process ({copied.Median * 1000:0} ms)"));
            }
        }

        if (table.Find(Pydicom) is { } py && table.WorkRatio(py) is { } loop)
        {
            yield return new TargetCheck("at least 10 times pydicom's speed", loop >= 10, Inv(
                $"work loops (start-up and imports excluded): DRAW {drawLoop.Median * 1000:0} ms, pydicom {py.Work!.Value.Median * 1000:0} ms (x{loop:0.0}); whole process x{table.ProcessRatio(py):0.0}"));
        }

        if (table.Find(Copy) is { } cp && cp.Wall is { } copy)
        {
            if (table.Find(DrawNoFsync)?.Work is { } noFsync && table.Find(DrawWarm)?.Work is { } warm)
            {
                yield return new TargetCheck("within 2 times a plain copy, like with like", noFsync.Median <= 2 * copy.Median, Inv(
                    $"DRAW without fsync (as cp) {noFsync.Median * 1000:0} ms in its loop, x{noFsync.Median / copy.Median:0.00} the whole `cp` process ({copy.Median * 1000:0} ms); DRAW's second pass (durable, JIT warm) x{warm.Median / copy.Median:0.00}"));
            }

            if (table.Find(DrawWarmNoFsync)?.Work is { } warmNoFsync2)
            {
                yield return new TargetCheck("within 2 times a plain copy, like with like, JIT warm", warmNoFsync2.Median <= 2 * copy.Median, Inv(
                    $"DRAW's second pass without fsync {warmNoFsync2.Median * 1000:0} ms in its loop, x{warmNoFsync2.Median / copy.Median:0.00} the whole `cp` process ({copy.Median * 1000:0} ms)"));
            }

            yield return new TargetCheck("within 2 times a plain copy", drawLoop.Median <= 2 * copy.Median, Inv(
                $"DRAW's work loop {drawLoop.Median * 1000:0} ms against the whole `cp` process {copy.Median * 1000:0} ms (DRAW takes x{drawLoop.Median / copy.Median:0.00} the copy's time; cp's start-up is about a millisecond); whole processes, .NET start-up included: x{draw.Wall!.Value.Median / copy.Median:0.00}"));
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
