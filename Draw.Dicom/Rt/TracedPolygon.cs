namespace Draw.Dicom.Rt;

/// <summary>One closed polygon traced from a mask slice, in pixel coordinates (x = column, y = row, interleaved).</summary>
/// <param name="Points">x0, y0, x1, y1, ... (the closing edge back to the first point is implied).</param>
/// <param name="IsHole">True for the boundary of a hole (background enclosed by the mask).</param>
/// <param name="Area">The enclosed area in pixels (positive for outer boundaries and holes alike).</param>
public sealed record TracedPolygon(double[] Points, bool IsHole, double Area)
{
    public int PointCount => Points.Length / 2;
}

/// <summary>Options of <see cref="ContourTracer.TraceVolume"/>.</summary>
public sealed record TracerOptions
{
    public static TracerOptions Default { get; } = new();

    /// <summary>Douglas–Peucker tolerance in mm: no dropped boundary point lies further than this from the simplified contour. 0 keeps every point.</summary>
    public double ToleranceMm { get; init; } = 0.25;

    /// <summary>Outer boundaries enclosing less than this area (mm²) are dropped, with the holes inside them.</summary>
    public double MinimumAreaMm2 { get; init; }
}
