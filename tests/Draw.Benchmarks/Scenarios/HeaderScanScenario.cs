using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Issue 3: header-only parsing of a folder of CT files, DRAW against pydicom and dcmdump.</summary>
public sealed class HeaderScanScenario : IBenchmarkScenario
{
    public const string Draw = "DRAW";
    public const string DrawDump = "DRAW + text dump";
    public const string Pydicom = "pydicom";
    public const string Dcmdump = "dcmdump";

    public string Name => "header-scan";

    public string Description =>
        "Header-only parse of every file of a CT series (stop before the pixel data), reading the SOP Instance UID of each, in one process per run.";

    public string Target =>
        "Issue 3: at least 10 times pydicom's files per second; faster per file than dcmdump; under 32 KB allocated per header-only parse.";

    /// <summary>About 5,000 files in the repeated run: DRAW's extra work (about 0.1 s) must dwarf the noise of
    /// process start-up on a busy machine. dcmdump takes them all on one command line (well under ARG_MAX).</summary>
    public int SteadyStatePasses(FileSet files) => Math.Max(3, (int)Math.Ceiling(5000.0 / Math.Max(1, files?.Files.Count ?? 1)));

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        Contender.Draw(Draw, "`DicomFile.OpenHeader` per file in one .NET process (the harness run as a child)", "header-only", baseline: true),
        Contender.Draw(DrawDump, "as DRAW, plus `DicomTextDump` of each file to /dev/null (does what dcmdump does)", "header-dump"),
        Contender.Peer(Pydicom, "`dcmread(path, stop_before_pixels=True)` loop in one /usr/bin/python3 process", Tools.Python,
            i => Tools.PythonScript("pydicom_header_scan.py", i.Files.ListFile)),
        Contender.Peer(Dcmdump, "`dcmdump -q -M` with every file on one command line (pixel data not loaded), text to /dev/null", "dcmdump",
            i => new ProcessCommand("dcmdump", ["-q", "-M", .. i.Files.Files]) { DiscardOutput = true, Environment = ProcessCommand.PeerEnvironment }),
    ];

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dump = workload switch
        {
            "header-only" => null,
            "header-dump" => new StreamWriter(new FileStream("/dev/null", FileMode.Open, FileAccess.Write), bufferSize: 1 << 16),
            _ => throw new NotSupportedException($"{Name} has no workload {workload}"),
        };
        using (dump)
        {
            var files = input.Files.Files;
            var checksum = 0;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            foreach (var path in files)
            {
                var file = DicomFile.OpenHeader(path);
                checksum += file.Dataset.GetString(DicomTags.SOPInstanceUID)?.Length ?? 0;
                if (dump is not null)
                {
                    DicomTextDump.Write(dump, file);
                }
            }

            dump?.Flush();
            clock.Stop();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            return checksum == 0
                ? throw new InvalidOperationException("no SOP Instance UID read")
                : new WorkReport(files.Count, clock.Elapsed.TotalSeconds, allocated);
        }
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var n = table.Files.Files.Count;
        var draw = table.Baseline;
        if (draw is null)
        {
            yield return new TargetCheck("DRAW measured", false, "DRAW did not run");
            yield break;
        }

        if (table.Find(Pydicom) is { } noisyPy && table.SteadyStateRatio(noisyPy) is null)
        {
            yield return new TargetCheck("at least 10x pydicom's files per second", null, Inv(
                $"inconclusive: the steady state was lost in the machine's noise; first pass in the loop x{table.WorkRatio(noisyPy):0.00}; whole process x{table.ProcessRatio(noisyPy):0.00}"));
        }

        if (table.Find(Dcmdump) is { } noisyDump && table.SteadyStateRatio(noisyDump) is null)
        {
            yield return new TargetCheck("faster per file than dcmdump", null, Inv(
                $"inconclusive: the steady state was lost in the machine's noise; whole process x{table.ProcessRatio(noisyDump):0.00}"));
        }

        if (table.Find(Pydicom) is { } py && table.SteadyStateRatio(py) is { } steady)
        {
            yield return new TargetCheck("at least 10x pydicom's files per second", steady >= 10, Inv(
                $"steady state: DRAW {1 / draw.PerFileSteadyState!:#,0} files/s, pydicom {1 / py.PerFileSteadyState!:#,0} files/s, x{steady:0.00}; first pass in the loop (DRAW's JIT included) x{table.WorkRatio(py):0.00}; whole process x{table.ProcessRatio(py):0.00}"));
        }

        if (table.Find(Dcmdump) is { } dcmdump && table.SteadyStateRatio(dcmdump) is { } perFile)
        {
            var dumpDetail = table.Find(DrawDump) is { } dd && dd.PerFileSteadyState is { } ddPerFile
                ? Inv($"; DRAW printing its own text dump like dcmdump does: {ddPerFile * 1000:0.000} ms")
                : "";
            yield return new TargetCheck("faster per file than dcmdump", perFile > 1, Inv(
                $"steady state per file: DRAW {draw.PerFileSteadyState! * 1000:0.000} ms, dcmdump {dcmdump.PerFileSteadyState! * 1000:0.000} ms (x{perFile:0.00}){dumpDetail}; whole process x{table.ProcessRatio(dcmdump):0.00}"));
        }

        if (draw.AllocatedPerItemSteadyState is { } bytes)
        {
            yield return new TargetCheck("under 32 KB allocated per header-only parse", bytes < 32 * 1024, Inv(
                $"steady state {bytes / 1024:0.0} KB per file; first pass {draw.AllocatedPerItem!.Value / 1024:0.0} KB per file (GC.GetTotalAllocatedBytes around the loop, one-time initialisation included)"));
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
