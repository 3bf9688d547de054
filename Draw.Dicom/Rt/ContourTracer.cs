namespace Draw.Dicom.Rt;

/// <summary>
/// Turns binary masks into closed planar contours. Each slice is traced by marching squares at the 0.5 level between
/// pixel centres (every vertex sits half-way between a pixel inside and one outside, so rasterising the contours with
/// pixel-centre sampling gives the mask back). Diagonal neighbours count as connected (8-connectivity of the mask).
/// Outer boundaries run counter-clockwise in (column, row) coordinates, holes clockwise.
/// <para>Hole convention: a hole is written as its own contour on the same slice and is meant to be read with the
/// even-odd rule (<see cref="ContourFillRule.EvenOdd"/>), which <see cref="ContourRasterizer"/> uses by default.
/// No keyhole cuts are made.</para>
/// </summary>
public static class ContourTracer
{
    // Edges of a cell: 0 top (between corners TL-TR), 1 right (TR-BR), 2 bottom (BL-BR), 3 left (TL-BL).
    // Corner bits: 1 TL, 2 TR, 4 BR, 8 BL. Each case lists directed segments (from edge, to edge).
    private static readonly (int From, int To)[][] s_cases = BuildCases();

    /// <summary>Traces one slice of a mask (non-zero = inside) into closed polygons in pixel coordinates, unsimplified.</summary>
    public static List<TracedPolygon> TraceSlice(ReadOnlySpan<byte> mask, int columns, int rows)
    {
        if (mask.Length < columns * rows)
        {
            throw new ArgumentException("mask smaller than columns × rows", nameof(mask));
        }

        // Cells span pixel centres (c, r)..(c+1, r+1) for c in -1..columns-1, r in -1..rows-1 (outside = 0).
        // Horizontal edge (c, r)-(c+1, r): id = (r+1)·(columns+1) + (c+1); vertical edge (c, r)-(c, r+1): offset + (r+1)·(columns+2) + (c+1).
        var hw = columns + 1;
        var vOffset = (rows + 2) * hw;
        var vw = columns + 2;
        var next = new int[vOffset + ((rows + 1) * vw)];
        var starts = new List<int>();

        for (var r = -1; r < rows; r++)
        {
            for (var c = -1; c < columns; c++)
            {
                var code = At(mask, columns, rows, c, r)
                    | (At(mask, columns, rows, c + 1, r) << 1)
                    | (At(mask, columns, rows, c + 1, r + 1) << 2)
                    | (At(mask, columns, rows, c, r + 1) << 3);
                if (code is 0 or 15)
                {
                    continue;
                }

                foreach (var (from, to) in s_cases[code])
                {
                    var a = EdgeId(from, c, r, hw, vOffset, vw);
                    next[a] = EdgeId(to, c, r, hw, vOffset, vw) + 1;
                    starts.Add(a);
                }
            }
        }

        var result = new List<TracedPolygon>();
        var points = new List<double>();
        foreach (var start in starts)
        {
            if (next[start] == 0)
            {
                continue;
            }

            points.Clear();
            var id = start;
            while (next[id] != 0)
            {
                AddPoint(points, id, hw, vOffset, vw);
                var to = next[id] - 1;
                next[id] = 0;
                id = to;
            }

            var xy = Polygons.RemoveCollinear(points);
            var area = Polygons.SignedArea(xy);
            result.Add(new TracedPolygon(xy, area < 0, Math.Abs(area)));
        }

        return result;
    }

    /// <summary>
    /// Traces every slice of <paramref name="mask"/> into CLOSED_PLANAR contours in patient coordinates, simplified within
    /// the tolerance, each referencing its slice's image (when the geometry knows it). Holes are separate contours
    /// (even-odd convention, see the class remarks).
    /// </summary>
    public static List<RtContour> TraceVolume(VolumeMask mask, VolumeGeometry geometry, TracerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(geometry);
        if (mask.Columns != geometry.Columns || mask.Rows != geometry.Rows || mask.Slices != geometry.Slices)
        {
            throw new ArgumentException("the mask does not match the geometry", nameof(mask));
        }

        options ??= TracerOptions.Default;
        var result = new List<RtContour>();
        for (var k = 0; k < mask.Slices; k++)
        {
            var slice = mask.Slice(k);
            if (!slice.ContainsAnyExcept((byte)0))
            {
                continue;
            }

            foreach (var polygon in TraceSliceMm(slice, geometry, k, options))
            {
                var contour = new RtContour { GeometricType = "CLOSED_PLANAR", Points = polygon };
                if (geometry.Images.Count > 0)
                {
                    contour.Images.Add(geometry.Images[k]);
                }

                result.Add(contour);
            }
        }

        return result;
    }

    /// <summary>The contours of one slice in patient coordinates (x, y, z triplets), simplified.</summary>
    public static List<double[]> TraceSliceMm(ReadOnlySpan<byte> slice, VolumeGeometry geometry, int sliceIndex, TracerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        options ??= TracerOptions.Default;
        var polygons = TraceSlice(slice, geometry.Columns, geometry.Rows);
        var pixelArea = geometry.ColumnSpacing * geometry.RowSpacing;
        var dropped = DroppedOuters(polygons, options.MinimumAreaMm2 / pixelArea);
        var result = new List<double[]>(polygons.Count);
        for (var p = 0; p < polygons.Count; p++)
        {
            if (dropped is not null && dropped[p])
            {
                continue;
            }

            // Simplify in mm within the plane (the spacing may differ between rows and columns).
            var xy = polygons[p].Points;
            var mm = new double[xy.Length];
            for (var i = 0; i < xy.Length; i += 2)
            {
                mm[i] = xy[i] * geometry.ColumnSpacing;
                mm[i + 1] = xy[i + 1] * geometry.RowSpacing;
            }

            mm = Polygons.Simplify(mm, options.ToleranceMm);
            var origin = geometry.SliceOrigins[sliceIndex];
            var points = new double[mm.Length / 2 * 3];
            for (var i = 0; i < mm.Length / 2; i++)
            {
                var v = origin + (geometry.RowDirection * mm[2 * i]) + (geometry.ColumnDirection * mm[(2 * i) + 1]);
                points[3 * i] = v.X;
                points[(3 * i) + 1] = v.Y;
                points[(3 * i) + 2] = v.Z;
            }

            result.Add(points);
        }

        return result;
    }

    /// <summary>Marks small outer boundaries and the holes lying inside them.</summary>
    private static bool[]? DroppedOuters(List<TracedPolygon> polygons, double minimumArea)
    {
        if (minimumArea <= 0)
        {
            return null;
        }

        var dropped = new bool[polygons.Count];
        var any = false;
        for (var i = 0; i < polygons.Count; i++)
        {
            if (!polygons[i].IsHole && polygons[i].Area < minimumArea)
            {
                dropped[i] = any = true;
            }
        }

        if (!any)
        {
            return null;
        }

        // A hole belongs to a dropped outer when its first vertex is inside it; holes are always smaller than their outer.
        for (var h = 0; h < polygons.Count; h++)
        {
            if (!polygons[h].IsHole || polygons[h].Area >= minimumArea)
            {
                continue;
            }

            var px = polygons[h].Points[0];
            var py = polygons[h].Points[1];
            for (var o = 0; o < polygons.Count; o++)
            {
                if (dropped[o] && !polygons[o].IsHole && Polygons.Contains(polygons[o].Points, px, py))
                {
                    dropped[h] = true;
                    break;
                }
            }
        }

        return dropped;
    }

    private static int At(ReadOnlySpan<byte> mask, int columns, int rows, int c, int r) =>
        (uint)c < (uint)columns && (uint)r < (uint)rows && mask[(r * columns) + c] != 0 ? 1 : 0;

    private static int EdgeId(int edge, int c, int r, int hw, int vOffset, int vw) => edge switch
    {
        0 => ((r + 1) * hw) + (c + 1),
        2 => ((r + 2) * hw) + (c + 1),
        3 => vOffset + ((r + 1) * vw) + (c + 1),
        _ => vOffset + ((r + 1) * vw) + (c + 2),
    };

    private static void AddPoint(List<double> points, int id, int hw, int vOffset, int vw)
    {
        if (id < vOffset)
        {
            // Horizontal edge (c, r)-(c+1, r): its midpoint.
            var r = (id / hw) - 1;
            var c = (id % hw) - 1;
            points.Add(c + 0.5);
            points.Add(r);
        }
        else
        {
            var v = id - vOffset;
            var r = (v / vw) - 1;
            var c = (v % vw) - 1;
            points.Add(c);
            points.Add(r + 0.5);
        }
    }

    private static (int From, int To)[][] BuildCases()
    {
        // Corner positions (x, y) of TL, TR, BR, BL and the midpoints of edges top, right, bottom, left, in a unit cell.
        (double X, double Y)[] corner = [(0, 0), (1, 0), (1, 1), (0, 1)];
        (double X, double Y)[] mid = [(0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5)];

        // The two edges touching each corner.
        int[][] cornerEdges = [[0, 3], [0, 1], [1, 2], [2, 3]];
        var cases = new (int, int)[16][];
        for (var code = 0; code < 16; code++)
        {
            var inside = new bool[4];
            for (var k = 0; k < 4; k++)
            {
                inside[k] = ((code >> k) & 1) != 0;
            }

            var segments = new List<(int, int)>();
            if (code is 5 or 10)
            {
                // Saddle: the mask is 8-connected, so cut off the two outside corners.
                for (var k = 0; k < 4; k++)
                {
                    if (!inside[k])
                    {
                        // The inside corner next to it (k+1) lies on the inside of the cut.
                        segments.Add(Orient(cornerEdges[k][0], cornerEdges[k][1], corner[(k + 1) % 4]));
                    }
                }
            }
            else if (code is not 0 and not 15)
            {
                var crossing = new List<int>();
                for (var e = 0; e < 4; e++)
                {
                    // Edge e joins two corners; it is crossed when they differ.
                    var (c0, c1) = e switch { 0 => (0, 1), 1 => (1, 2), 2 => (3, 2), _ => (0, 3) };
                    if (inside[c0] != inside[c1])
                    {
                        crossing.Add(e);
                    }
                }

                var fg = Array.IndexOf(inside, true);
                segments.Add(Orient(crossing[0], crossing[1], corner[fg]));
            }

            cases[code] = [.. segments];
        }

        return cases;

        // Directs the segment between two edge midpoints so that the inside point lies on its left (math orientation in x, y).
        (int, int) Orient(int e0, int e1, (double X, double Y) insidePoint)
        {
            var (ax, ay) = mid[e0];
            var (bx, by) = mid[e1];
            var cross = ((bx - ax) * (insidePoint.Y - ay)) - ((by - ay) * (insidePoint.X - ax));
            return cross > 0 ? (e0, e1) : (e1, e0);
        }
    }
}
