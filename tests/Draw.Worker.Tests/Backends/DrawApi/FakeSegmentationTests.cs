using System.Diagnostics;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Testing;
using Draw.Testing.FakeDraw;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>The fake server's built-in segmentation writes an RTSTRUCT that dciodvfy accepts.</summary>
public sealed class FakeSegmentationTests
{
    [Fact]
    public async Task The_built_in_rtstruct_references_every_slice_and_passes_dciodvfy()
    {
        using var folder = new TempFolder("fake-seg");
        var series = TinyCt.Write(Path.Combine(folder.Path, "in"), 5);
        File.WriteAllText(Path.Combine(folder.Path, "in", FakeSegmentation.TemplateFileName), TinyCt.Template(["Heart", "Esophagus"]));
        var output = Path.Combine(folder.Path, "out", "rt.dcm");
        await FakeSegmentation.MakeRtStructAsync(Path.Combine(folder.Path, "in"), output, CancellationToken.None);

        var set = RtStructureSet.Read(DicomFile.Open(output).Dataset);
        Assert.Equal(series, set.ReferencedFrames.Single().Studies.Single().Series.Single().SeriesInstanceUid);
        Assert.Equal(5, set.ReferencedImageUids().Distinct().Count());
        Assert.All(set.Rois, r => Assert.All(r.Contours, c => Assert.Equal(12, c.Points.Length)));
        var zs = set.Rois[0].Contours.Select(c => c.Points[2]).ToList();
        Assert.Equal(zs.Order().ToList(), zs);

        var psi = new ProcessStartInfo("dciodvfy") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(output);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var report = await stdout + await stderr;
        var errors = report.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, report);
    }

    [Fact]
    public void Structure_names_are_read_from_block_and_flow_maps()
    {
        Assert.Equal(new[] { "Heart", "Lung_L" }, FakeSegmentation.StructureNames(TinyCt.Template(["Heart", "Lung_L"])));
        Assert.Equal(new[] { "Bladder", "Rectum", "Heart" }, FakeSegmentation.StructureNames("models:\n  12:\n    map: {1: Bladder, 2: 'Rectum'}\n  11:\n    map:\n      1: \"Heart\"\n    config: x\n"));
    }
}
