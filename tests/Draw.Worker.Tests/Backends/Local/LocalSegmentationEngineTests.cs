using System.Diagnostics;
using Draw.Dicom.Rt;
using Draw.Testing;
using Draw.Worker.Backends.Local;
using Xunit.Abstractions;

namespace Draw.Worker.Tests.Backends.Local;

public sealed class LocalSegmentationEngineTests(ITestOutputHelper output)
{
    [Fact]
    public void Lung1_lungs_match_the_clinical_contours_and_the_body_holds_them_without_the_couch()
    {
        var ct = LocalSamples.Ct;
        var g = ct.Geometry;
        var engine = new LocalSegmentationEngine();
        engine.Segment(ct, [LocalSegmentationEngine.External]); // warm-up (JIT)
        var start = Stopwatch.GetTimestamp();
        var structures = engine.Segment(ct);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var body = structures.Single(s => s.Name == "External").Mask;
        var left = structures.Single(s => s.Name == "Lung-Left").Mask;
        var right = structures.Single(s => s.Name == "Lung-Right").Mask;

        var set = LocalSamples.Lung1Structures();
        var refLeft = ContourRasterizer.Rasterize(set.FindRoi("Lung-Left")!, g);
        var refRight = ContourRasterizer.Rasterize(set.FindRoi("Lung-Right")!, g);
        var diceLeft = VolumeMask.Dice(left, refLeft);
        var diceRight = VolumeMask.Dice(right, refRight);
        output.WriteLine($"Lung-Left Dice {diceLeft:F4} ({left.Count()} voxels, reference {refLeft.Count()})");
        output.WriteLine($"Lung-Right Dice {diceRight:F4} ({right.Count()} voxels, reference {refRight.Count()})");
        output.WriteLine($"mean Dice {(diceLeft + diceRight) / 2:F4}");
        output.WriteLine($"engine: {elapsed:F0} ms for {g.Slices} slices, {elapsed / g.Slices:F1} ms/slice (one thread)");

        var folder = TestArtifacts.Folder("local-engine");
        foreach (var k in new[] { 5, 10, 17, 30, 65, 80, 100, 110, 115, 125 })
        {
            LocalSamples.Snapshot(Path.Combine(folder, $"engine-{k:D3}.png"), ct, k, -300, 1400, left, right, body);
        }

        // The body holds both lungs (all but a sliver at the edge).
        Assert.True(Inside(refLeft, body) > 0.99 && Inside(refRight, body) > 0.99, "the External must contain the lungs");

        // The couch of LUNG1: a flat panel about 410 pixels wide (columns ~50-460) whose top sags from row ~397 to ~411
        // along the table, about 12 rows thick; the patient's back rests on it and is under 300 pixels wide there.
        // Measured per slice: the External never reaches row 420 (below the panel's top shell everywhere) and is
        // narrower than 300 pixels on every row from 390 down, so it never runs along the panel.
        for (var k = 0; k < g.Slices; k++)
        {
            var b = body.Slice(k);
            Assert.False(b[(420 * g.Columns)..].ContainsAnyExcept((byte)0), $"slice {k}: body voxels at or below row 420 (couch)");
            for (var r = 390; r < 420; r++)
            {
                var width = b.Slice(r * g.Columns, g.Columns).Count((byte)1);
                Assert.True(width < 300, $"slice {k} row {r}: the External is {width} pixels wide, it runs along the couch");
            }
        }

        Assert.True(diceLeft >= 0.90, $"Lung-Left Dice {diceLeft:F4}");
        Assert.True(diceRight >= 0.90, $"Lung-Right Dice {diceRight:F4}");
        Assert.True((diceLeft + diceRight) / 2 >= 0.95, $"mean Dice {(diceLeft + diceRight) / 2:F4}");
    }

    private static double Inside(VolumeMask part, VolumeMask whole)
    {
        long n = 0, inside = 0;
        for (var i = 0; i < part.Data.Length; i++)
        {
            if (part.Data[i] != 0)
            {
                n++;
                inside += whole.Data[i];
            }
        }

        return (double)inside / n;
    }

    [Fact]
    public void Mr_body_is_one_plausible_region_per_slice()
    {
        var mr = LocalSamples.MrVolume;
        var engine = new LocalSegmentationEngine();
        var body = Assert.Single(engine.Segment(mr)).Mask;
        var folder = TestArtifacts.Folder("local-engine");
        var threshold = LocalSegmentationEngine.OtsuThreshold(mr.Voxels);
        output.WriteLine($"Otsu threshold {threshold:F1}");
        for (var k = 0; k < mr.Slices; k += 8)
        {
            var fraction = (double)body.CountSlice(k) / body.VoxelsPerSlice;
            output.WriteLine($"slice {k}: body {fraction:P1} of the image");
            LocalSamples.Snapshot(Path.Combine(folder, $"mr-{k:D3}.png"), mr, k, 400, 800, body);
        }

        for (var k = 0; k < mr.Slices; k++)
        {
            var fraction = (double)body.CountSlice(k) / body.VoxelsPerSlice;
            Assert.InRange(fraction, 0.05, 0.9);
        }
    }
}
