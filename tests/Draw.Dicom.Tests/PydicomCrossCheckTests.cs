using System.Diagnostics;
using Draw.Dicom.IO;
using Draw.Dicom.Tests.Oracle;

namespace Draw.Dicom.Tests;

/// <summary>Files that dcmdump rejects but DRAW reads (see <see cref="KnownDifferences"/>) are checked against pydicom instead.</summary>
public sealed class PydicomCrossCheckTests
{
    private const string Script = """
        import sys, pydicom
        def walk(ds, prefix):
            for e in ds:
                path = prefix + "(%04X,%04X)" % (e.tag.group, e.tag.element)
                print(path, e.VR)
                if e.VR == "SQ":
                    for i, item in enumerate(e.value):
                        walk(item, path + "[%d]/" % i)
        walk(pydicom.dcmread(sys.argv[1], force=True), "")
        """;

    [Fact]
    public async Task Files_only_draw_reads_have_the_same_elements_as_in_pydicom()
    {
        foreach (var known in KnownDifferences.All.Where(k => k.Kind == DifferenceKind.DrawReadsWhatDcmdumpRejects))
        {
            var path = TestFiles.PydicomFile(Path.GetFileName(known.File));
            var theirs = await RunPydicomAsync(path);
            var mine = DatasetFlattener.Flatten(DicomFile.Open(path).Dataset)
                .Where(e => e.VR is not ("na" or "pi"))
                .Select(e => e.Path)
                .ToList();
            Assert.Equal(theirs.Select(l => l.Split(' ')[0]).ToList(), mine);
        }
    }

    private static async Task<List<string>> RunPydicomAsync(string path)
    {
        // /usr/bin/python3 is Debian's python with pydicom; the python3 on PATH may lack it.
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"pydicom failed on {path}: {stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
