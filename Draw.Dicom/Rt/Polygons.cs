namespace Draw.Dicom.Rt;

/// <summary>Plane geometry on closed polygons stored as interleaved x, y coordinates.</summary>
public static class Polygons
{
    /// <summary>Douglas–Peucker simplification of a closed polygon (interleaved x, y) within <paramref name="tolerance"/>
    /// (same units as the points). At least 3 points are kept.</summary>
    public static double[] Simplify(double[] xy, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(xy);
        var n = xy.Length / 2;
        if (n <= 4 || tolerance <= 0)
        {
            return xy;
        }

        // Split the ring at point 0 and the point farthest from it, then simplify both open chains.
        var far = 0;
        var best = -1.0;
        for (var i = 1; i < n; i++)
        {
            var dx = xy[2 * i] - xy[0];
            var dy = xy[(2 * i) + 1] - xy[1];
            var d = (dx * dx) + (dy * dy);
            if (d > best)
            {
                best = d;
                far = i;
            }
        }

        var keep = new bool[n + 1];
        keep[0] = keep[far] = keep[n] = true;
        var stack = new Stack<(int, int)>();
        stack.Push((0, far));
        stack.Push((far, n));
        var tol2 = tolerance * tolerance;
        while (stack.Count > 0)
        {
            var (a, b) = stack.Pop();
            if (b - a < 2)
            {
                continue;
            }

            double ax = xy[2 * a], ay = xy[(2 * a) + 1];
            var bi = b % n;
            double bx = xy[2 * bi], by = xy[(2 * bi) + 1];
            var worst = -1;
            var worstD = tol2;
            for (var i = a + 1; i < b; i++)
            {
                var d = SegmentDistance2(xy[2 * i], xy[(2 * i) + 1], ax, ay, bx, by);
                if (d > worstD)
                {
                    worstD = d;
                    worst = i;
                }
            }

            if (worst >= 0)
            {
                keep[worst] = true;
                stack.Push((a, worst));
                stack.Push((worst, b));
            }
        }

        var count = 0;
        for (var i = 0; i < n; i++)
        {
            count += keep[i] ? 1 : 0;
        }

        if (count < 3)
        {
            return xy;
        }

        var result = new double[count * 2];
        var j = 0;
        for (var i = 0; i < n; i++)
        {
            if (keep[i])
            {
                result[j++] = xy[2 * i];
                result[j++] = xy[(2 * i) + 1];
            }
        }

        return result;
    }

    internal static bool Contains(double[] xy, double x, double y)
    {
        var inside = false;
        var n = xy.Length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++)
        {
            double xi = xy[2 * i], yi = xy[(2 * i) + 1], xj = xy[2 * j], yj = xy[(2 * j) + 1];
            if ((yi > y) != (yj > y) && x < xi + ((y - yi) * (xj - xi) / (yj - yi)))
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>Drops vertices lying on the straight line between their neighbours (long runs along rows and columns).</summary>
    internal static double[] RemoveCollinear(List<double> p)
    {
        var n = p.Count / 2;
        if (n < 4)
        {
            return [.. p];
        }

        var result = new List<double>(p.Count);
        for (var i = 0; i < n; i++)
        {
            var a = (i + n - 1) % n;
            var b = (i + 1) % n;
            double ax = p[2 * a], ay = p[(2 * a) + 1], x = p[2 * i], y = p[(2 * i) + 1], bx = p[2 * b], by = p[(2 * b) + 1];
            var cross = ((x - ax) * (by - ay)) - ((y - ay) * (bx - ax));
            if (Math.Abs(cross) > 1e-9)
            {
                result.Add(x);
                result.Add(y);
            }
        }

        return result.Count >= 6 ? [.. result] : [.. p];
    }

    internal static double SignedArea(double[] xy)
    {
        var n = xy.Length / 2;
        var s = 0.0;
        for (int i = 0, j = n - 1; i < n; j = i++)
        {
            s += (xy[2 * j] * xy[(2 * i) + 1]) - (xy[2 * i] * xy[(2 * j) + 1]);
        }

        return s / 2;
    }

    internal static double SegmentDistance2(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        var len2 = (dx * dx) + (dy * dy);
        var t = len2 > 0 ? Math.Clamp((((px - ax) * dx) + ((py - ay) * dy)) / len2, 0, 1) : 0;
        var ex = ax + (t * dx) - px;
        var ey = ay + (t * dy) - py;
        return (ex * ex) + (ey * ey);
    }
}
