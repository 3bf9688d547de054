using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;

namespace Draw.Dicom.Imaging;

/// <summary>A series that cannot be made into a volume (mixed series, inconsistent geometry, unsupported pixels).</summary>
public sealed class ImageVolumeException : Exception
{
    public ImageVolumeException()
    {
    }

    public ImageVolumeException(string message)
        : base(message)
    {
    }

    public ImageVolumeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A CT or MR series as one volume: rescaled voxel values (Hounsfield units for CT) as float, slice after slice in
/// ascending position along the normal, with the geometry and per-slice SOP instances of <see cref="VolumeGeometry"/>.
/// </summary>
public sealed class ImageVolume
{
    public ImageVolume(VolumeGeometry geometry, float[] voxels, DicomDataset header, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(files);
        if (voxels.Length != (long)geometry.VoxelsPerSlice * geometry.Slices)
        {
            throw new ArgumentException("voxel count does not match the geometry", nameof(voxels));
        }

        Geometry = geometry;
        Voxels = voxels;
        Header = header;
        Files = files;
    }

    public VolumeGeometry Geometry { get; }

    /// <summary>Rescaled values, index = (slice · Rows + row) · Columns + column.</summary>
    public float[] Voxels { get; }

    /// <summary>The first slice's attributes without its pixel data (patient, study, series, equipment...).</summary>
    public DicomDataset Header { get; }

    /// <summary>The source file of each slice, in slice order.</summary>
    public IReadOnlyList<string> Files { get; }

    public string Modality => Header.GetString(DicomTags.Modality) ?? "";

    public int Columns => Geometry.Columns;

    public int Rows => Geometry.Rows;

    public int Slices => Geometry.Slices;

    public Span<float> Slice(int slice) => Voxels.AsSpan(slice * Geometry.VoxelsPerSlice, Geometry.VoxelsPerSlice);
}

/// <summary>
/// Loads one image series into an <see cref="ImageVolume"/>: every file must be a single-frame grayscale image with native
/// pixel data of the same series, size, pixel spacing and orientation; slices are sorted by position along the normal.
/// Files without pixel data (e.g. an RTSTRUCT beside the images) are skipped.
/// </summary>
public static class VolumeLoader
{
    private const double DirectionTolerance = 1e-4;

    public static Task<ImageVolume> LoadAsync(IEnumerable<string> files, CancellationToken cancellationToken = default) =>
        Task.Run(() => Load(files, cancellationToken), cancellationToken);

    public static ImageVolume Load(IEnumerable<string> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var slices = new List<(string File, DicomDataset Dataset, Vec3 Origin)>();
        string? series = null;
        double[]? orientation = null;
        double[]? spacing = null;
        int rows = 0, columns = 0;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DicomFile dicom;
            try
            {
                dicom = DicomFile.Open(file);
            }
            catch (DicomFormatException ex)
            {
                throw new ImageVolumeException($"{Path.GetFileName(file)}: not a readable DICOM file ({ex.Message})", ex);
            }

            var ds = dicom.Dataset;
            if (!ds.Contains(DicomTags.PixelData))
            {
                continue;
            }

            var name = Path.GetFileName(file);
            if (dicom.TransferSyntax.IsEncapsulated || ds.Find(DicomTags.PixelData) is DicomFragmentSequence)
            {
                throw new ImageVolumeException($"{name}: compressed pixel data ({dicom.TransferSyntax.Name}) is not supported; send the series uncompressed");
            }

            var layout = GetLayout(ds, name);
            if (layout.Frames != 1)
            {
                throw new ImageVolumeException($"{name}: multi-frame images ({layout.Frames} frames) are not supported");
            }

            var uid = ds.GetString(DicomTags.SeriesInstanceUID) ?? "";
            var iop = ds.GetDoubles(DicomTags.ImageOrientationPatient);
            var ipp = ds.GetDoubles(DicomTags.ImagePositionPatient);
            var ps = ds.GetDoubles(DicomTags.PixelSpacing);
            if (iop.Length != 6 || ipp.Length != 3 || ps.Length != 2 || iop.Any(double.IsNaN) || ipp.Any(double.IsNaN) || ps.Any(double.IsNaN))
            {
                throw new ImageVolumeException($"{name}: ImagePositionPatient, ImageOrientationPatient and PixelSpacing are required");
            }

            if (series is null)
            {
                series = uid;
                orientation = iop;
                spacing = ps;
                rows = layout.Rows;
                columns = layout.Columns;
            }
            else
            {
                if (!string.Equals(uid, series, StringComparison.Ordinal))
                {
                    throw new ImageVolumeException($"{name}: belongs to another series than the first file; load one series at a time");
                }

                if (layout.Rows != rows || layout.Columns != columns)
                {
                    throw new ImageVolumeException($"{name}: size {layout.Columns}x{layout.Rows} differs from the series' {columns}x{rows}");
                }

                for (var i = 0; i < 6; i++)
                {
                    if (Math.Abs(iop[i] - orientation![i]) > DirectionTolerance)
                    {
                        throw new ImageVolumeException($"{name}: ImageOrientationPatient differs from the other slices");
                    }
                }

                if (Math.Abs(ps[0] - spacing![0]) > 1e-4 * spacing[0] || Math.Abs(ps[1] - spacing[1]) > 1e-4 * spacing[1])
                {
                    throw new ImageVolumeException($"{name}: PixelSpacing differs from the other slices");
                }
            }

            slices.Add((file, ds, new Vec3(ipp[0], ipp[1], ipp[2])));
        }

        if (slices.Count == 0)
        {
            throw new ImageVolumeException("no image with pixel data among the files");
        }

        var rowDir = new Vec3(orientation![0], orientation[1], orientation[2]);
        var colDir = new Vec3(orientation[3], orientation[4], orientation[5]);
        var normal = Vec3.Cross(rowDir.Normalized(), colDir.Normalized()).Normalized();
        slices.Sort((a, b) => Vec3.Dot(a.Origin, normal).CompareTo(Vec3.Dot(b.Origin, normal)));
        for (var k = 1; k < slices.Count; k++)
        {
            var gap = Vec3.Dot(slices[k].Origin - slices[k - 1].Origin, normal);
            if (gap < 1e-3)
            {
                throw new ImageVolumeException($"{Path.GetFileName(slices[k].File)} and {Path.GetFileName(slices[k - 1].File)} lie at the same position; the series has duplicate slices");
            }
        }

        var images = new RtImageReference[slices.Count];
        for (var k = 0; k < slices.Count; k++)
        {
            var ds = slices[k].Dataset;
            images[k] = new RtImageReference(ds.GetString(DicomTags.SOPClassUID) ?? "", ds.GetString(DicomTags.SOPInstanceUID) ?? "");
        }

        VolumeGeometry geometry;
        try
        {
            geometry = new VolumeGeometry(
                columns, rows, spacing![0], spacing[1], rowDir, colDir, [.. slices.Select(s => s.Origin)], images,
                slices[0].Dataset.GetString(DicomTags.FrameOfReferenceUID));
        }
        catch (ArgumentException ex)
        {
            throw new ImageVolumeException($"the series' geometry is invalid: {ex.Message}", ex);
        }

        var voxels = new float[(long)geometry.VoxelsPerSlice * slices.Count];
        for (var k = 0; k < slices.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(slices[k].File);
            try
            {
                PixelDecoder.DecodeRescaled(slices[k].Dataset, voxels.AsSpan(k * geometry.VoxelsPerSlice, geometry.VoxelsPerSlice), 0, name);
            }
            catch (DicomFormatException ex)
            {
                throw new ImageVolumeException(ex.Message, ex);
            }
        }

        var header = new DicomDataset();
        foreach (var e in slices[0].Dataset)
        {
            if (e.Tag != DicomTags.PixelData)
            {
                header.Add(e);
            }
        }

        return new ImageVolume(geometry, voxels, header, [.. slices.Select(s => s.File)]);
    }

    private static PixelLayout GetLayout(DicomDataset ds, string name)
    {
        try
        {
            return PixelDecoder.GetLayout(ds, name);
        }
        catch (DicomFormatException ex)
        {
            throw new ImageVolumeException(ex.Message, ex);
        }
    }
}
