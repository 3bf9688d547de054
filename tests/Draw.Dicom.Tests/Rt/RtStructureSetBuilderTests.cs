using System.Diagnostics;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Testing;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests.Rt;

public sealed class RtStructureSetBuilderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_new_structure_set_for_lung1_references_every_slice_reads_back_and_passes_dciodvfy()
    {
        var volume = Lung1Data.Volume;
        var g = volume.Geometry;
        var builder = new RtStructureSetBuilder(volume.Header, g);
        var masks = new Dictionary<string, VolumeMask>(StringComparer.Ordinal);
        foreach (var name in new[] { "Lung-Left", "Lung-Right", "GTV-1" })
        {
            masks[name] = ContourRasterizer.Rasterize(Lung1Data.Structures.FindRoi(name)!, g);
            builder.AddRoi(name, new RtColor(10, 200, 30), name.StartsWith("GTV", StringComparison.Ordinal) ? "GTV" : "ORGAN", ContourTracer.TraceVolume(masks[name], g));
        }

        using var temp = new TempFolder("draw-rtstruct");
        var path = Path.Combine(temp.Path, "rs.dcm");
        builder.Build().Save(path);

        var file = DicomFile.Open(path);
        Assert.Equal("RTSTRUCT", file.Dataset.GetString(DicomTags.Modality));
        Assert.Equal(volume.Header.GetString(DicomTags.StudyInstanceUID), file.Dataset.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(volume.Header.GetString(DicomTags.PatientID), file.Dataset.GetString(DicomTags.PatientID));
        var set = RtStructureSet.Read(file.Dataset);
        var series = set.ReferencedFrames.Single().Studies.Single().Series.Single();
        Assert.Equal(volume.Header.GetString(DicomTags.SeriesInstanceUID), series.SeriesInstanceUid);
        Assert.Equal(g.Images.Select(i => i.SopInstanceUid), series.Images.Select(i => i.SopInstanceUid));
        Assert.Equal(134, series.Images.Count);
        foreach (var roi in set.Rois)
        {
            Assert.Equal("AUTOMATIC", roi.GenerationAlgorithm);
            Assert.All(roi.Contours, c => Assert.Single(c.Images));
            var dice = VolumeMask.Dice(masks[roi.Name], ContourRasterizer.Rasterize(roi, g));
            Assert.True(dice > 0.995, $"{roi.Name}: Dice {dice}");
        }

        var (errors, warnings) = await Dciodvfy.RunAsync(path);
        output.WriteLine($"dciodvfy: {errors.Count} errors, {warnings.Count} warnings");
        foreach (var w in warnings.Distinct())
        {
            output.WriteLine(w);
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}

/// <summary>dicom3tools' IOD validator.</summary>
public static class Dciodvfy
{
    public static async Task<(List<string> Errors, List<string> Warnings)> RunAsync(string path)
    {
        var psi = new ProcessStartInfo("dciodvfy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-new");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dciodvfy");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var lines = ((await stdout) + "\n" + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ([.. lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))], [.. lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))]);
    }
}
