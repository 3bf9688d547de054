namespace Draw.Dicom.Rt;

/// <summary>How the closed contours of one ROI on one slice combine.</summary>
public enum ContourFillRule
{
    /// <summary>
    /// A pixel is inside when a ray from it crosses the slice's contours an odd number of times: a contour inside
    /// another one is a hole, whatever its direction. DRAW's convention (the tracer writes holes as separate contours).
    /// </summary>
    EvenOdd,

    /// <summary>A pixel is inside when the winding number of the slice's contours around it is not zero: holes must run
    /// opposite to their outer contour; overlapping contours of the same direction unite.</summary>
    NonZero,
}

/// <summary>
/// Turns CLOSED_PLANAR contours into masks on a volume's grid. A pixel belongs to the mask when its centre lies inside
/// (under the fill rule) the contours of its slice. A contour is placed on the slice whose position along the normal is
/// within half the slice spacing of the contour's mean position; when none is, on the slice its ContourImageSequence names.
/// </summary>
public static class ContourRasterizer
{
    /// <summary>Rasterises every CLOSED_PLANAR contour of <paramref name="roi"/>.</summary>
    public static VolumeMask Rasterize(RtRoi roi, VolumeGeometry geometry, ContourFillRule rule = ContourFillRule.EvenOdd, ICollection<RtContour>? unmatched = null)
    {
        ArgumentNullException.ThrowIfNull(roi);
        return Rasterize(roi.Contours, geometry, rule, unmatched);
    }

    /// <summary>Rasterises contours; those that fit no slice (or are not CLOSED_PLANAR) go to <paramref name="unmatched"/>.</summary>
    public static VolumeMask Rasterize(IEnumerable<RtContour> contours, VolumeGeometry geometry, ContourFillRule rule = ContourFillRule.EvenOdd, ICollection<RtContour>? unmatched = null)
    {
        ArgumentNullException.ThrowIfNull(contours);
        ArgumentNullException.ThrowIfNull(geometry);
        var mask = new VolumeMask(geometry);
        var perSlice = new List<double[]>?[geometry.Slices];
        foreach (var contour in contours)
        {
            var points = contour.Points;
            if (!string.Equals(contour.GeometricType, "CLOSED_PLANAR", StringComparison.OrdinalIgnoreCase) || points.Length < 9)
            {
                unmatched?.Add(contour);
                continue;
            }

            var slice = FindSlice(contour, points, geometry);
            if (slice < 0)
            {
                unmatched?.Add(contour);
                continue;
            }

            (perSlice[slice] ??= []).Add(ToPixel(points, geometry, slice));
        }

        for (var k = 0; k < perSlice.Length; k++)
        {
            if (perSlice[k] is { } polygons)
            {
                FillSlice(polygons, mask.Slice(k), geometry.Columns, geometry.Rows, rule);
            }
        }

        return mask;
    }

    /// <summary>
    /// Fills one slice from polygons given in pixel coordinates (x = column, y = row, interleaved). The slice is
    /// overwritten: 1 where the pixel centre is inside under <paramref name="rule"/>, 0 elsewhere.
    /// </summary>
    public static void FillSlice(IReadOnlyList<double[]> polygons, Span<byte> slice, int columns, int rows, ContourFillRule rule = ContourFillRule.EvenOdd)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        if (slice.Length < columns * rows)
        {
            throw new ArgumentException("slice buffer too small", nameof(slice));
        }

        slice[..(columns * rows)].Clear();

        // Edges as (x0, y0, x1, y1) with y0 < y1, plus their direction; horizontal edges never cross a scan line.
        var edgeCount = 0;
        foreach (var p in polygons)
        {
            edgeCount += p.Length / 2;
        }

        var edges = new double[edgeCount * 4];
        var dirs = new sbyte[edgeCount];
        var n = 0;
        double minY = double.MaxValue, maxY = double.MinValue;
        foreach (var p in polygons)
        {
            var count = p.Length / 2;
            for (var i = 0; i < count; i++)
            {
                var j = i + 1 == count ? 0 : i + 1;
                double xa = p[2 * i], ya = p[(2 * i) + 1], xb = p[2 * j], yb = p[(2 * j) + 1];
                if (ya == yb)
                {
                    continue;
                }

                sbyte dir = 1;
                if (ya > yb)
                {
                    (xa, ya, xb, yb) = (xb, yb, xa, ya);
                    dir = -1;
                }

                edges[4 * n] = xa;
                edges[(4 * n) + 1] = ya;
                edges[(4 * n) + 2] = xb;
                edges[(4 * n) + 3] = yb;
                dirs[n] = dir;
                minY = Math.Min(minY, ya);
                maxY = Math.Max(maxY, yb);
                n++;
            }
        }

        if (n == 0)
        {
            return;
        }

        var firstRow = Math.Max(0, (int)Math.Ceiling(minY));
        var lastRow = Math.Min(rows - 1, (int)Math.Floor(maxY));
        var xs = new double[n];
        var ws = new int[n];
        for (var r = firstRow; r <= lastRow; r++)
        {
            // Half-open rule: an edge spans rows y0 <= r < y1, so a vertex on the scan line counts once.
            var m = 0;
            for (var e = 0; e < n; e++)
            {
                var y0 = edges[(4 * e) + 1];
                var y1 = edges[(4 * e) + 3];
                if (r < y0 || r >= y1)
                {
                    continue;
                }

                var x0 = edges[4 * e];
                xs[m] = x0 + ((r - y0) * (edges[(4 * e) + 2] - x0) / (y1 - y0));
                ws[m] = dirs[e];
                m++;
            }

            if (m < 2)
            {
                continue;
            }

            Array.Sort(xs, ws, 0, m);
            var row = slice.Slice(r * columns, columns);
            var state = 0;
            for (var i = 0; i < m - 1; i++)
            {
                state = rule == ContourFillRule.EvenOdd ? state ^ 1 : state + ws[i];
                if (state == 0)
                {
                    continue;
                }

                // Pixel c is inside when x_i <= c < x_{i+1}.
                var from = Math.Max(0, (int)Math.Ceiling(xs[i]));
                var to = Math.Min(columns, (int)Math.Ceiling(xs[i + 1]));
                if (to > from)
                {
                    row[from..to].Fill(1);
                }
            }
        }
    }

    /// <summary>The slice a contour lies on, or -1 (see the class remarks).</summary>
    public static int FindSlice(RtContour contour, VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(contour);
        ArgumentNullException.ThrowIfNull(geometry);
        return FindSlice(contour, contour.Points, geometry);
    }

    private static int FindSlice(RtContour contour, double[] points, VolumeGeometry geometry)
    {
        var count = points.Length / 3;
        if (count > 0)
        {
            var sum = 0.0;
            var normal = geometry.Normal;
            for (var i = 0; i < count; i++)
            {
                sum += Vec3.Dot(new Vec3(points[3 * i], points[(3 * i) + 1], points[(3 * i) + 2]), normal);
            }

            var k = geometry.FindSlice(sum / count);
            if (k >= 0)
            {
                return k;
            }
        }

        foreach (var image in contour.Images)
        {
            var k = geometry.FindSlice(image.SopInstanceUid);
            if (k >= 0)
            {
                return k;
            }
        }

        return -1;
    }

    private static double[] ToPixel(double[] points, VolumeGeometry geometry, int slice)
    {
        var count = points.Length / 3;
        var xy = new double[count * 2];
        var origin = geometry.SliceOrigins[slice];
        var u = geometry.RowDirection * (1 / geometry.ColumnSpacing);
        var v = geometry.ColumnDirection * (1 / geometry.RowSpacing);
        for (var i = 0; i < count; i++)
        {
            var d = new Vec3(points[3 * i], points[(3 * i) + 1], points[(3 * i) + 2]) - origin;
            xy[2 * i] = Vec3.Dot(d, u);
            xy[(2 * i) + 1] = Vec3.Dot(d, v);
        }

        return xy;
    }
}
