using Draw.Dicom.Rt;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests.Rt;

public sealed class ContourTracerTests(ITestOutputHelper output)
{
    private static VolumeGeometry Grid(int size, double spacing = 0.8) =>
        new(size, size, spacing, spacing, new Vec3(1, 0, 0), new Vec3(0, 1, 0), [new Vec3(-10, -20, 5)],
            [new RtImageReference("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4")], "1.2.3");

    private static VolumeMask Shape(int size, Func<double, double, bool> inside)
    {
        var mask = new VolumeMask(size, size, 1);
        for (var r = 0; r < size; r++)
        {
            for (var c = 0; c < size; c++)
            {
                mask[c, r, 0] = inside(c, r);
            }
        }

        return mask;
    }

    private (double Dice, int Points, int Contours) RoundTrip(VolumeMask mask, VolumeGeometry g, double tolerance)
    {
        var contours = ContourTracer.TraceVolume(mask, g, new TracerOptions { ToleranceMm = tolerance });
        var back = ContourRasterizer.Rasterize(contours, g);
        var points = contours.Sum(c => c.Points.Length / 3);
        var dice = VolumeMask.Dice(mask, back);
        output.WriteLine($"tolerance {tolerance} mm: {contours.Count} contours, {points} points, Dice {dice:F5}");
        Assert.All(contours, c => Assert.Equal("1.2.3.4", Assert.Single(c.Images).SopInstanceUid));
        return (dice, points, contours.Count);
    }

    [Fact]
    public void A_disk_comes_back_from_its_contours_and_simplification_drops_points()
    {
        var g = Grid(64);
        var disk = Shape(64, (c, r) => ((c - 30.3) * (c - 30.3)) + ((r - 33.7) * (r - 33.7)) < 22 * 22);
        var exact = RoundTrip(disk, g, 0);
        Assert.Equal(1.0, exact.Dice);
        Assert.Equal(1, exact.Contours);
        var simplified = RoundTrip(disk, g, 0.25);
        Assert.True(simplified.Dice >= 0.99, $"Dice {simplified.Dice}");
        Assert.True(simplified.Points < exact.Points, $"{simplified.Points} points simplified, {exact.Points} unsimplified");
        var coarser = RoundTrip(disk, g, 0.5);
        Assert.True(coarser.Dice >= 0.99, $"Dice {coarser.Dice}");
        Assert.True(coarser.Points < exact.Points * 0.7, $"{coarser.Points} points simplified, {exact.Points} unsimplified");
    }

    [Fact]
    public void A_ring_traces_to_an_outer_contour_and_a_hole_read_back_even_odd()
    {
        var g = Grid(80, 1.0);
        bool Ring(double c, double r)
        {
            var d = ((c - 40) * (c - 40)) + ((r - 38) * (r - 38));
            return d < 30 * 30 && d > 12 * 12;
        }

        var ring = Shape(80, Ring);
        var polygons = ContourTracer.TraceSlice(ring.Slice(0), 80, 80);
        Assert.Equal(2, polygons.Count);
        Assert.Single(polygons, p => p.IsHole);
        Assert.True(polygons.Single(p => !p.IsHole).Area > polygons.Single(p => p.IsHole).Area);

        var exact = RoundTrip(ring, g, 0);
        Assert.Equal(1.0, exact.Dice);
        var simplified = RoundTrip(ring, g, 0.25);
        Assert.True(simplified.Dice >= 0.99, $"Dice {simplified.Dice}");
        Assert.Equal(2, simplified.Contours);
    }

    [Fact]
    public void Diagonal_touching_pixels_and_image_borders_trace_exactly()
    {
        var g = Grid(6, 1.0);
        var mask = Shape(6, (c, r) => (c + r) % 2 == 0 || c == 0 || r == 5);
        Assert.Equal(1.0, RoundTrip(mask, g, 0).Dice);
        var full = Shape(6, (_, _) => true);
        Assert.Equal(1.0, RoundTrip(full, g, 0).Dice);
    }

    [Fact]
    public void Small_islands_can_be_dropped()
    {
        var g = Grid(40, 1.0);
        var mask = Shape(40, (c, r) => (c is > 5 and < 30 && r is > 5 and < 30) || (c == 35 && r == 35));
        Assert.Equal(2, ContourTracer.TraceVolume(mask, g, new TracerOptions { ToleranceMm = 0 }).Count);
        Assert.Single(ContourTracer.TraceVolume(mask, g, new TracerOptions { ToleranceMm = 0, MinimumAreaMm2 = 2 }));
    }

    [Fact]
    public void Lung1_reference_masks_survive_tracing()
    {
        var g = Lung1Data.Volume.Geometry;
        foreach (var name in new[] { "Lung-Left", "GTV-1" })
        {
            var mask = ContourRasterizer.Rasterize(Lung1Data.Structures.FindRoi(name)!, g);
            var contours = ContourTracer.TraceVolume(mask, g);
            var back = ContourRasterizer.Rasterize(contours, g);
            var dice = VolumeMask.Dice(mask, back);
            output.WriteLine($"{name}: {contours.Count} contours, {contours.Sum(c => c.Points.Length / 3)} points, Dice {dice:F5}");
            Assert.True(dice >= 0.995, $"{name}: Dice {dice}");
        }
    }
}
