using System.Diagnostics;
using System.Text.Json;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Testing;
using Draw.Worker.Backends.Local;
using Xunit.Abstractions;

namespace Draw.Worker.Tests.Backends.Local;

public sealed class LocalSegmenterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Lung1_gives_an_rtstruct_that_references_every_slice_and_passes_dciodvfy()
    {
        using var temp = new TempFolder("draw-local");
        var path = Path.Combine(temp.Path, "out", "RS.dcm");
        var files = LocalSamples.Lung1Files.Append(LocalSamples.Lung1RtStruct).ToList();
        var result = await new LocalSegmenter().SegmentSeriesAsync(files, path, null, CancellationToken.None);
        output.WriteLine($"load {result.LoadTime.TotalMilliseconds:F0} ms, segment {result.SegmentTime.TotalMilliseconds:F0} ms ({result.SegmentTime.TotalMilliseconds / result.Slices:F1} ms/slice), trace+write {result.TraceAndWriteTime.TotalMilliseconds:F0} ms");
        foreach (var s in result.Structures)
        {
            output.WriteLine($"{s.Name}: {s.Contours} contours, {s.Voxels} voxels");
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        var file = DicomFile.Open(path);
        var set = RtStructureSet.Read(file.Dataset);
        Assert.Equal(["External", "Lung-Left", "Lung-Right"], set.Rois.Select(r => r.Name));
        Assert.Equal(134, set.ReferencedFrames.Single().Studies.Single().Series.Single().Images.Count);
        Assert.All(set.Rois, r => Assert.NotEmpty(r.Contours));

        var (errors, warnings) = await RunDciodvfyAsync(path);
        output.WriteLine($"dciodvfy: {errors.Count} errors, {warnings.Count} warnings");
        foreach (var w in warnings.Distinct())
        {
            output.WriteLine(w);
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // Read back through the rasterizer: the written lungs still match the clinical ones.
        var g = LocalSamples.Ct.Geometry;
        var reference = LocalSamples.Lung1Structures();
        foreach (var name in new[] { "Lung-Left", "Lung-Right" })
        {
            var dice = VolumeMask.Dice(ContourRasterizer.Rasterize(set.FindRoi(name)!, g), ContourRasterizer.Rasterize(reference.FindRoi(name)!, g));
            output.WriteLine($"{name} from the written RTSTRUCT: Dice {dice:F4}");
            Assert.True(dice >= 0.90, $"{name}: Dice {dice}");
        }
    }

    [Fact]
    public async Task Mr_gives_an_external_only_and_a_request_can_narrow_the_structures()
    {
        using var temp = new TempFolder("draw-local");
        var mr = await new LocalSegmenter().SegmentSeriesAsync(LocalSamples.MrFiles, Path.Combine(temp.Path, "mr.dcm"), null, CancellationToken.None);
        Assert.Equal("External", Assert.Single(mr.Structures).Name);
        var (errors, _) = await RunDciodvfyAsync(mr.OutputPath);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var bodyOnly = await new LocalSegmenter().SegmentSeriesAsync(LocalSamples.Lung1Files, Path.Combine(temp.Path, "ct.dcm"), ["external"], CancellationToken.None);
        Assert.Equal("External", Assert.Single(bodyOnly.Structures).Name);
        await Assert.ThrowsAsync<InvalidOperationException>(() => new LocalSegmenter().SegmentSeriesAsync(LocalSamples.MrFiles, Path.Combine(temp.Path, "x.dcm"), ["Lung-Left"], CancellationToken.None));
    }

    [Fact]
    public void The_catalogue_lists_the_models_in_the_server_shape()
    {
        using var doc = JsonDocument.Parse(LocalCatalogue.ToJson());
        var models = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal([9001, 9002], models.Select(m => m.GetProperty("model_id").GetInt32()));
        var ct = models[0];
        Assert.Equal("local-ct-body-lungs", ct.GetProperty("model_name").GetString());
        Assert.Equal(["External", "Lung-Left", "Lung-Right"], ct.GetProperty("modelmap").EnumerateArray().Select(s => s.GetProperty("map_tg263_primary_name").GetString()));
        Assert.Equal([1, 2, 3], ct.GetProperty("modelmap").EnumerateArray().Select(s => s.GetProperty("mapid").GetInt32()));
        foreach (var field in new[] { "model_config", "model_trainer_name", "model_postprocess" })
        {
            Assert.True(ct.TryGetProperty(field, out _), field);
        }

        var structure = ct.GetProperty("modelmap")[0];
        foreach (var field in new[] { "id", "Major_Category", "Anatomic_Group", "Description", "delineation_modality", "median_dice_score" })
        {
            Assert.True(structure.TryGetProperty(field, out _), field);
        }
    }

    internal static async Task<(List<string> Errors, List<string> Warnings)> RunDciodvfyAsync(string path)
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
