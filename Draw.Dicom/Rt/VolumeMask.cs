namespace Draw.Dicom.Rt;

/// <summary>A binary mask on a volume's voxel grid: one byte per voxel (0 outside, 1 inside), slice after slice, row after row.</summary>
public sealed class VolumeMask
{
    public VolumeMask(int columns, int rows, int slices)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slices);
        Columns = columns;
        Rows = rows;
        Slices = slices;
        Data = new byte[checked(columns * rows * slices)];
    }

    public VolumeMask(VolumeGeometry geometry)
        : this((geometry ?? throw new ArgumentNullException(nameof(geometry))).Columns, geometry.Rows, geometry.Slices)
    {
    }

    public int Columns { get; }

    public int Rows { get; }

    public int Slices { get; }

    public int VoxelsPerSlice => Columns * Rows;

    /// <summary>The voxels, 0 or 1, index = (slice · Rows + row) · Columns + column.</summary>
    public byte[] Data { get; }

    public Span<byte> Slice(int slice) => Data.AsSpan(slice * VoxelsPerSlice, VoxelsPerSlice);

    public bool this[int column, int row, int slice]
    {
        get => Data[(((slice * Rows) + row) * Columns) + column] != 0;
        set => Data[(((slice * Rows) + row) * Columns) + column] = value ? (byte)1 : (byte)0;
    }

    /// <summary>The number of voxels set.</summary>
    public long Count() => CountNonZero(Data);

    public long CountSlice(int slice) => CountNonZero(Slice(slice));

    public bool SameShape(VolumeMask other) =>
        other is not null && other.Columns == Columns && other.Rows == Rows && other.Slices == Slices;

    /// <summary>The Dice coefficient 2|A∩B| / (|A|+|B|) of two masks of the same shape (1 when both are empty).</summary>
    public static double Dice(VolumeMask a, VolumeMask b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.SameShape(b))
        {
            throw new ArgumentException("masks of different shapes");
        }

        long both = 0, ca = 0, cb = 0;
        var x = a.Data;
        var y = b.Data;
        for (var i = 0; i < x.Length; i++)
        {
            int u = x[i] != 0 ? 1 : 0, v = y[i] != 0 ? 1 : 0;
            ca += u;
            cb += v;
            both += u & v;
        }

        return ca + cb == 0 ? 1 : 2.0 * both / (ca + cb);
    }

    private static long CountNonZero(ReadOnlySpan<byte> span)
    {
        // Masks hold 0 or 1; count anything else as 1 too.
        long n = 0;
        foreach (var b in span)
        {
            n += b != 0 ? 1 : 0;
        }

        return n;
    }
}
