namespace Draw.Dicom.Rt;

/// <summary>A continuous index into a volume: column (x), row (y) and slice, each 0 at the first pixel centre.</summary>
public readonly record struct PixelIndex(double Column, double Row, double Slice);

/// <summary>
/// The geometry of a stack of parallel image slices (PS3.3 C.7.6.2): every slice has the same size, pixel spacing
/// and orientation; slices are sorted by their position along the normal (row direction × column direction),
/// ascending. Pixel (c, r) of slice k lies at <c>origin[k] + c·ColumnSpacing·RowDirection + r·RowSpacing·ColumnDirection</c>.
/// </summary>
public sealed class VolumeGeometry
{
    private readonly Vec3[] _origins;
    private readonly double[] _positions;
    private readonly Dictionary<string, int> _byUid;

    /// <param name="columns">Columns (0028,0011).</param>
    /// <param name="rows">Rows (0028,0010).</param>
    /// <param name="rowSpacing">PixelSpacing[0]: the distance between rows, in mm.</param>
    /// <param name="columnSpacing">PixelSpacing[1]: the distance between columns, in mm.</param>
    /// <param name="rowDirection">ImageOrientationPatient[0..2]: the direction of increasing column index.</param>
    /// <param name="columnDirection">ImageOrientationPatient[3..5]: the direction of increasing row index.</param>
    /// <param name="sliceOrigins">ImagePositionPatient of each slice, sorted ascending along the normal.</param>
    /// <param name="images">The SOP class and instance of each slice (same order), when known.</param>
    /// <param name="frameOfReferenceUid">FrameOfReferenceUID (0020,0052), when known.</param>
    public VolumeGeometry(
        int columns,
        int rows,
        double rowSpacing,
        double columnSpacing,
        Vec3 rowDirection,
        Vec3 columnDirection,
        IReadOnlyList<Vec3> sliceOrigins,
        IReadOnlyList<RtImageReference>? images = null,
        string? frameOfReferenceUid = null)
    {
        ArgumentNullException.ThrowIfNull(sliceOrigins);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (!(rowSpacing > 0) || !(columnSpacing > 0))
        {
            throw new ArgumentException("pixel spacing must be positive");
        }

        if (sliceOrigins.Count == 0)
        {
            throw new ArgumentException("a volume needs at least one slice", nameof(sliceOrigins));
        }

        if (images is not null && images.Count != sliceOrigins.Count)
        {
            throw new ArgumentException("one image reference per slice", nameof(images));
        }

        Columns = columns;
        Rows = rows;
        RowSpacing = rowSpacing;
        ColumnSpacing = columnSpacing;
        RowDirection = rowDirection.Normalized();
        ColumnDirection = columnDirection.Normalized();
        if (Math.Abs(Vec3.Dot(RowDirection, ColumnDirection)) > 1e-3 || RowDirection.Length < 0.5 || ColumnDirection.Length < 0.5)
        {
            throw new ArgumentException("the row and column directions must be orthogonal unit vectors");
        }

        Normal = Vec3.Cross(RowDirection, ColumnDirection).Normalized();
        _origins = [.. sliceOrigins];
        _positions = new double[_origins.Length];
        for (var k = 0; k < _origins.Length; k++)
        {
            _positions[k] = Vec3.Dot(_origins[k], Normal);
            if (k > 0 && !(_positions[k] > _positions[k - 1]))
            {
                throw new ArgumentException("slices must be sorted by strictly increasing position along the normal", nameof(sliceOrigins));
            }
        }

        SliceSpacing = MedianGap(_positions, columnSpacing);
        Images = images ?? [];
        FrameOfReferenceUid = frameOfReferenceUid;
        _byUid = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < Images.Count; k++)
        {
            _byUid.TryAdd(Images[k].SopInstanceUid, k);
        }
    }

    public int Columns { get; }

    public int Rows { get; }

    public int Slices => _origins.Length;

    /// <summary>Distance between rows (PixelSpacing[0]), mm.</summary>
    public double RowSpacing { get; }

    /// <summary>Distance between columns (PixelSpacing[1]), mm.</summary>
    public double ColumnSpacing { get; }

    /// <summary>The median distance between neighbouring slices along the normal (the column spacing for one slice).</summary>
    public double SliceSpacing { get; }

    public Vec3 RowDirection { get; }

    public Vec3 ColumnDirection { get; }

    public Vec3 Normal { get; }

    public IReadOnlyList<Vec3> SliceOrigins => _origins;

    /// <summary>Each slice's position along the normal (ImagePositionPatient · normal), ascending.</summary>
    public IReadOnlyList<double> SlicePositions => _positions;

    /// <summary>Each slice's SOP class and instance (empty when unknown).</summary>
    public IReadOnlyList<RtImageReference> Images { get; }

    public string? FrameOfReferenceUid { get; }

    public int VoxelsPerSlice => Columns * Rows;

    /// <summary>The patient position of a (fractional) pixel index; slices between two origins are interpolated.</summary>
    public Vec3 PixelToPatient(double column, double row, double slice) =>
        OriginAt(slice) + (RowDirection * (column * ColumnSpacing)) + (ColumnDirection * (row * RowSpacing));

    public Vec3 PixelToPatient(PixelIndex index) => PixelToPatient(index.Column, index.Row, index.Slice);

    /// <summary>The fractional pixel index of a patient position (inverse of <see cref="PixelToPatient(double, double, double)"/>).</summary>
    public PixelIndex PatientToPixel(Vec3 point)
    {
        var slice = SliceIndexOf(Vec3.Dot(point, Normal));
        var d = point - OriginAt(slice);
        return new PixelIndex(Vec3.Dot(d, RowDirection) / ColumnSpacing, Vec3.Dot(d, ColumnDirection) / RowSpacing, slice);
    }

    /// <summary>The fractional slice index of a position along the normal (interpolated between slices, extrapolated outside).</summary>
    public double SliceIndexOf(double position)
    {
        var p = _positions;
        if (p.Length == 1)
        {
            return (position - p[0]) / SliceSpacing;
        }

        if (position <= p[0])
        {
            return (position - p[0]) / (p[1] - p[0]);
        }

        var last = p.Length - 1;
        if (position >= p[last])
        {
            return last + ((position - p[last]) / (p[last] - p[last - 1]));
        }

        var i = Array.BinarySearch(p, position);
        if (i >= 0)
        {
            return i;
        }

        var hi = ~i;
        var lo = hi - 1;
        return lo + ((position - p[lo]) / (p[hi] - p[lo]));
    }

    /// <summary>The slice whose position is nearest to <paramref name="position"/>, if within <paramref name="tolerance"/> mm
    /// (default: half the slice spacing); otherwise -1.</summary>
    public int FindSlice(double position, double? tolerance = null)
    {
        var tol = tolerance ?? (SliceSpacing / 2);
        var i = Array.BinarySearch(_positions, position);
        if (i >= 0)
        {
            return i;
        }

        var hi = ~i;
        var best = -1;
        var bestDistance = double.MaxValue;
        for (var k = Math.Max(0, hi - 1); k <= Math.Min(_positions.Length - 1, hi); k++)
        {
            var d = Math.Abs(_positions[k] - position);
            if (d < bestDistance)
            {
                best = k;
                bestDistance = d;
            }
        }

        return bestDistance <= tol ? best : -1;
    }

    /// <summary>The slice with this SOP Instance UID, or -1.</summary>
    public int FindSlice(string sopInstanceUid) => _byUid.TryGetValue(sopInstanceUid, out var k) ? k : -1;

    private Vec3 OriginAt(double slice)
    {
        if (_origins.Length == 1)
        {
            return _origins[0] + (Normal * (slice * SliceSpacing));
        }

        var lo = (int)Math.Clamp(Math.Floor(slice), 0, _origins.Length - 2);
        var t = slice - lo;
        return _origins[lo] + ((_origins[lo + 1] - _origins[lo]) * t);
    }

    private static double MedianGap(double[] positions, double fallback)
    {
        if (positions.Length < 2)
        {
            return fallback;
        }

        var gaps = new double[positions.Length - 1];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = positions[i + 1] - positions[i];
        }

        Array.Sort(gaps);
        return gaps[gaps.Length / 2];
    }
}
