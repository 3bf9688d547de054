using System.Diagnostics;
using System.Globalization;
using Draw.Benchmarks.Harness;
using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Issue 3: full parse plus write of every file, DRAW against pydicom and dcmtk's dcmconv.</summary>
public sealed class ParseWriteScenario : IBenchmarkScenario
{
    public const string Draw = "DRAW";
    public const string DrawLazy = "DRAW, lazy pixel data";
    public const string DrawSave = "DRAW, DicomFile.Save";
    public const string Pydicom = "pydicom";
    public const string Dcmconv = "dcmconv";

    public string Name => "parse-write";

    public string Description =>
        "Full parse of every file of a CT series, pixel data included, and a write of each to a new file in the same transfer syntax.";

    public string Target => "None set: issue 3 asks for the figure beside pydicom and dcmtk, measured in the same run.";

    /// <summary>No steady state: repeating the list writes several hundred MB per run, and the kernel's dirty-page
    /// writeback throttling then dominates (measured: DRAW's per-file time doubled in the repeated runs), so the
    /// figure would measure the disk, not the parse and write.</summary>
    public int SteadyStatePasses(FileSet files) => 0;

    public IReadOnlyList<Contender> Contenders { get; } =
    [
        Contender.Draw(Draw, "`DicomFile.Open`, pixel data loaded into memory, `DicomFileWriter.Write` to a FileStream (no fsync, like the peers)", "loaded", baseline: true),
        Contender.Draw(DrawLazy, "`DicomFile.Open` as the product reads (pixel data stays in the source file and is copied on write), same write", "lazy"),
        Contender.Draw(DrawSave, "`DicomFile.Open` (lazy) and `DicomFile.Save`: the product's durable write (temporary file, fsync, rename)", "save"),
        Contender.Peer(Pydicom, "`dcmread(path)` then `save_as(..., write_like_original=True)` in one /usr/bin/python3 process", Tools.Python,
            i => Tools.PythonScript("pydicom_parse_write.py", i.Files.ListFile, i.OutputFolder)),
        Contender.Peer(Dcmconv, "`dcmconv IN OUT`, one process per file (dcmconv converts one file), started by a /bin/sh loop", "dcmconv",
            i => new ProcessCommand("/bin/sh", ["-c", "while IFS= read -r f; do dcmconv \"$f\" \"$1/${f##*/}\" || exit 1; done < \"$0\"", i.Files.ListFile, i.OutputFolder])
            {
                Environment = ProcessCommand.PeerEnvironment,
            }) with { SteadyState = false },
    ];

    public WorkReport RunWorkload(string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (workload is not ("loaded" or "lazy" or "save"))
        {
            throw new NotSupportedException($"{Name} has no workload {workload}");
        }

        var keep = new DicomWriteOptions { KeepTransferSyntax = true };
        var files = input.Files.Files;
        var checksum = 0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        foreach (var path in files)
        {
            var file = DicomFile.Open(path);
            checksum += file.Dataset.GetString(DicomTags.SOPInstanceUID)?.Length ?? 0;
            var target = Path.Combine(input.OutputFolder, Path.GetFileName(path));
            if (workload == "save")
            {
                file.Save(target, keep);
                continue;
            }

            if (workload == "loaded")
            {
                file.Dataset.LoadBulkData();
            }

            using var stream = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            DicomFileWriter.Write(stream, file, keep);
        }

        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return checksum == 0
            ? throw new InvalidOperationException("no SOP Instance UID read")
            : new WorkReport(files.Count, clock.Elapsed.TotalSeconds, allocated);
    }

    public IEnumerable<TargetCheck> Evaluate(ContenderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parts = new List<string>();
        foreach (var name in new[] { Pydicom, Dcmconv })
        {
            if (table.Find(name) is { } peer && table.ProcessRatio(peer) is { } ratio)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} takes x{ratio:0.0} DRAW's time (whole process)"));
            }
        }

        if (table.Find(Pydicom) is { } py && table.WorkRatio(py) is { } work)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"pydicom's loop takes x{work:0.0} DRAW's"));
        }


        yield return new TargetCheck("no target (figure only)", null, parts.Count == 0 ? "no peer measured" : string.Join("; ", parts));
    }
}
