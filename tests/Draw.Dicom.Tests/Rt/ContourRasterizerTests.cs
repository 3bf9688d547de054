using Draw.Dicom.Rt;
using Draw.Testing;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests.Rt;

public sealed class ContourRasterizerTests(ITestOutputHelper output)
{
    private static VolumeGeometry Grid(int size = 20, int slices = 3) =>
        new(size, size, 1, 1, new Vec3(1, 0, 0), new Vec3(0, 1, 0), [.. Enumerable.Range(0, slices).Select(k => new Vec3(0, 0, k * 2.0))],
            [.. Enumerable.Range(0, slices).Select(k => new RtImageReference("1.2.840.10008.5.1.4.1.1.2", $"1.2.3.{k}"))], "1.2.3");

    private static RtContour Square(double x0, double y0, double x1, double y1, double z, bool clockwise = false)
    {
        double[] p = clockwise
            ? [x0, y0, z, x0, y1, z, x1, y1, z, x1, y0, z]
            : [x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z];
        return new RtContour { Points = p };
    }

    [Fact]
    public void A_square_covers_exactly_the_pixel_centres_inside_it()
    {
        var g = Grid();
        var mask = ContourRasterizer.Rasterize([Square(2.5, 3.5, 7.5, 5.5, 2)], g);
        Assert.Equal(5 * 2, mask.Count());
        Assert.Equal(10, mask.CountSlice(1));
        Assert.True(mask[3, 4, 1]);
        Assert.True(mask[7, 5, 1]);
        Assert.False(mask[2, 4, 1]);
        Assert.False(mask[8, 4, 1]);
    }

    [Fact]
    public void Holes_follow_the_fill_rule()
    {
        var g = Grid();
        var outer = Square(1.5, 1.5, 11.5, 11.5, 4);
        var sameDirection = Square(4.5, 4.5, 8.5, 8.5, 4);
        var opposite = Square(4.5, 4.5, 8.5, 8.5, 4, clockwise: true);

        // Even-odd: an inner contour is a hole whatever its direction.
        Assert.Equal(100 - 16, ContourRasterizer.Rasterize([outer, sameDirection], g).Count());
        Assert.Equal(100 - 16, ContourRasterizer.Rasterize([outer, opposite], g).Count());

        // Non-zero: only an opposite inner contour is a hole.
        Assert.Equal(100, ContourRasterizer.Rasterize([outer, sameDirection], g, ContourFillRule.NonZero).Count());
        Assert.Equal(100 - 16, ContourRasterizer.Rasterize([outer, opposite], g, ContourFillRule.NonZero).Count());

        // Two separate contours on one slice both fill.
        Assert.Equal(8, ContourRasterizer.Rasterize([Square(0.5, 0.5, 2.5, 2.5, 4), Square(10.5, 10.5, 12.5, 12.5, 4)], g).Count());
    }

    [Fact]
    public void Contours_are_matched_by_position_within_half_a_slice_or_by_their_image()
    {
        var g = Grid();
        var unmatched = new List<RtContour>();
        var off = Square(2.5, 2.5, 4.5, 4.5, 0.9);
        var far = Square(2.5, 2.5, 4.5, 4.5, 9);
        var farButReferenced = Square(2.5, 2.5, 4.5, 4.5, 9);
        farButReferenced.Images.Add(g.Images[2]);
        var mask = ContourRasterizer.Rasterize([off, far, farButReferenced], g, unmatched: unmatched);
        Assert.Equal(4, mask.CountSlice(0));
        Assert.Equal(4, mask.CountSlice(2));
        Assert.Same(far, Assert.Single(unmatched));
    }

    [Fact]
    public async Task Lung1_masks_agree_with_plastimatch()
    {
        using var temp = new TempFolder("draw-plastimatch");
        var theirs = await Plastimatch.RasterizeAsync(Lung1Data.RtStructPath, Lung1Data.ImageFolder, temp.Path);
        var g = Lung1Data.Volume.Geometry;
        var failures = new List<string>();
        foreach (var roi in Lung1Data.Structures.Rois)
        {
            var image = theirs[roi.Name];
            Assert.Equal([g.Columns, g.Rows, g.Slices], image.Size);
            Assert.Equal(g.SliceOrigins[0].X, image.Offset[0], 1e-3);
            Assert.Equal(g.SliceOrigins[0].Y, image.Offset[1], 1e-3);
            Assert.Equal(g.SliceOrigins[0].Z, image.Offset[2], 1e-3);
            Assert.Equal(g.ColumnSpacing, image.Spacing[0], 1e-6);
            Assert.Equal(g.SliceSpacing, image.Spacing[2], 1e-6);

            var unmatched = new List<RtContour>();
            var ours = ContourRasterizer.Rasterize(roi, g, unmatched: unmatched);
            var reference = image.ToMask();
            var dice = VolumeMask.Dice(ours, reference);
            output.WriteLine($"{roi.Name}: {roi.Contours.Count} contours, ours {ours.Count()} voxels, plastimatch {reference.Count()}, Dice {dice:F4}");
            Assert.Empty(unmatched);
            if (dice < 0.98 || Math.Abs(ours.Count() - reference.Count()) > 0.02 * reference.Count())
            {
                failures.Add($"{roi.Name}: Dice {dice:F4}, {ours.Count()} vs {reference.Count()} voxels");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
