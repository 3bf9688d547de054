using Draw.Dicom.Rt;

namespace Draw.Dicom.Tests.Rt;

public sealed class VolumeGeometryTests
{
    [Fact]
    public void Patient_and_pixel_coordinates_round_trip_on_an_oblique_grid()
    {
        var row = new Vec3(0.8, 0.6, 0);
        var col = new Vec3(0, 0.1, -0.995).Normalized();
        col = (col - (row * Vec3.Dot(col, row))).Normalized();
        var normal = Vec3.Cross(row, col);
        var origin = new Vec3(-120, 35, 210);
        Vec3[] origins = [origin, origin + (normal * 2.5), origin + (normal * 5), origin + (normal * 8)];
        var g = new VolumeGeometry(256, 200, 0.9, 1.1, row, col, origins);
        Assert.Equal(2.5, g.SliceSpacing, 9);

        var p = g.PixelToPatient(10, 20, 2);
        var expected = origins[2] + (row * (10 * 1.1)) + (col * (20 * 0.9));
        Assert.True((p - expected).Length < 1e-9, $"{p} != {expected}");
        foreach (var (c, r, k) in new[] { (0.0, 0.0, 0.0), (12.25, 199.0, 1.5), (255.0, 3.5, 3.0), (-4.0, 7.0, 2.6) })
        {
            var i = g.PatientToPixel(g.PixelToPatient(c, r, k));
            Assert.Equal(c, i.Column, 9);
            Assert.Equal(r, i.Row, 9);
            Assert.Equal(k, i.Slice, 9);
        }

        Assert.Equal(3, g.FindSlice(Vec3.Dot(origins[3], normal) + 1.2));
        Assert.Equal(-1, g.FindSlice(Vec3.Dot(origins[3], normal) + 1.3));
    }

    [Fact]
    public void Lung1_geometry_sorts_slices_along_the_normal_and_maps_pixel_centres()
    {
        var g = Lung1Data.Volume.Geometry;
        Assert.Equal(134, g.Slices);
        Assert.Equal(3.0, g.SliceSpacing, 6);
        Assert.Equal(-681.5, g.SlicePositions[0], 6);
        Assert.Equal(-282.5, g.SlicePositions[^1], 6);
        Assert.Equal(new Vec3(-249.51171875, -460.51171875, -681.5), g.PixelToPatient(0, 0, 0));
        var i = g.PatientToPixel(new Vec3(0, 0, -400));
        Assert.Equal(249.51171875 / 0.9765625, i.Column, 9);
        Assert.Equal(460.51171875 / 0.9765625, i.Row, 9);
        Assert.Equal(281.5 / 3, i.Slice, 9);
        Assert.Equal(134, g.Images.Select(x => x.SopInstanceUid).Distinct().Count());
    }
}
