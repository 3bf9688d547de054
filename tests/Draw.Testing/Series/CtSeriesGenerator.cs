using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Testing.Series;

/// <summary>A generated series: where its files are and the identifiers and geometry they carry.</summary>
public sealed record CtSeries(
    string Folder,
    IReadOnlyList<string> Files,
    CtSeriesOptions Options,
    CtPhantom Phantom,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string FrameOfReferenceUid)
{
    /// <summary>Patient position (LPS, mm) of the centre of the first transmitted pixel of slice <paramref name="slice"/>.</summary>
    public (double X, double Y, double Z) ImagePosition(int slice) => CtSeriesGenerator.ImagePosition(Options, slice);

    /// <summary>Patient position of the centre of pixel (row, column) of a slice (identity orientation).</summary>
    public (double X, double Y, double Z) PixelCentre(int slice, int row, int column)
    {
        var (x, y, z) = ImagePosition(slice);
        return (x + (column * Options.PixelSpacingMm), y + (row * Options.PixelSpacingMm), z);
    }
}

/// <summary>
/// Writes synthetic CT series (CT Image Storage, explicit VR little endian, 16-bit unsigned pixels with 12 bits
/// stored, rescale intercept -1024) of a chosen size, sampling a <see cref="CtPhantom"/> at each pixel centre.
/// Axial slices, identity orientation, the image centred on x = y = 0.
/// </summary>
public static class CtSeriesGenerator
{
    public const double RescaleIntercept = -1024;
    public const double RescaleSlope = 1;

    public static CtSeries Write(string folder, CtSeriesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new CtSeriesOptions();
        if (options.Slices < 1 || options.Rows < 1 || options.Columns < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "a series needs at least one slice of at least 1x1 pixels");
        }

        Directory.CreateDirectory(folder);
        var phantom = PhantomFor(options);
        var uids = new DicomUidGenerator(options.UidRoot);
        var study = uids.Generate();
        var series = uids.Generate();
        var frame = uids.Generate();
        var files = new List<string>(options.Slices);
        var pixels = new ushort[options.Rows * options.Columns];
        for (var i = 0; i < options.Slices; i++)
        {
            Sample(phantom, options, i, pixels);
            var dataset = CreateSlice(options, i, study, series, frame, uids.Generate(), pixels);
            var path = Path.Combine(folder, options.FileName(i));
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                DicomFileWriter.Write(stream, new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
            }

            files.Add(path);
        }

        return new CtSeries(folder, files, options, phantom, study, series, frame);
    }

    /// <summary>The phantom the options name, or the default one with lungs in the central 80 % of the slices.</summary>
    public static CtPhantom PhantomFor(CtSeriesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Phantom is { } p)
        {
            return p;
        }

        var first = ImagePosition(options, 0).Z;
        var length = (options.Slices - 1) * options.SliceThicknessMm;
        return new CtPhantom { LungZMinMm = first + (0.1 * length), LungZMaxMm = first + (0.9 * length) };
    }

    public static (double X, double Y, double Z) ImagePosition(CtSeriesOptions options, int slice)
    {
        ArgumentNullException.ThrowIfNull(options);
        var x = -(options.Columns - 1) / 2.0 * options.PixelSpacingMm;
        var y = -(options.Rows - 1) / 2.0 * options.PixelSpacingMm;
        var z0 = options.FirstSliceZMm ?? (-(options.Slices - 1) / 2.0 * options.SliceThicknessMm);
        return (x, y, z0 + (slice * options.SliceThicknessMm));
    }

    private static void Sample(CtPhantom phantom, CtSeriesOptions o, int slice, ushort[] pixels)
    {
        var (x0, y0, z) = ImagePosition(o, slice);
        for (var r = 0; r < o.Rows; r++)
        {
            var y = y0 + (r * o.PixelSpacingMm);
            var row = pixels.AsSpan(r * o.Columns, o.Columns);
            for (var c = 0; c < o.Columns; c++)
            {
                row[c] = (ushort)(phantom.HounsfieldAt(x0 + (c * o.PixelSpacingMm), y, z) - RescaleIntercept);
            }
        }
    }

    private static DicomDataset CreateSlice(CtSeriesOptions o, int slice, string study, string series, string frame, string instance, ushort[] pixels)
    {
        var (x, y, z) = ImagePosition(o, slice);
        var date = o.StudyDate;
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ds.SetString(DicomTags.ImageType, "DERIVED", "SECONDARY", "AXIAL");
        ds.SetDate(DicomTags.InstanceCreationDate, date);
        ds.SetString(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
        ds.SetString(DicomTags.SOPInstanceUID, instance);
        ds.SetDate(DicomTags.StudyDate, date);
        ds.SetDate(DicomTags.SeriesDate, date);
        ds.SetDate(DicomTags.ContentDate, date);
        ds.SetString(DicomTags.StudyTime, "120000");
        ds.SetString(DicomTags.SeriesTime, "120000");
        ds.SetString(DicomTags.ContentTime, "120000");
        ds.SetString(DicomTags.AccessionNumber, "SYNTH0001");
        ds.SetString(DicomTags.Modality, "CT");
        ds.SetString(DicomTags.Manufacturer, "DRAW synthetic series generator");
        ds.SetString(DicomTags.ReferringPhysicianName, "SYNTHETIC^REFERRER");
        ds.SetString(DicomTags.StudyDescription, o.StudyDescription);
        ds.SetString(DicomTags.SeriesDescription, o.SeriesDescription);
        ds.SetString(DicomTags.ManufacturerModelName, "CtSeriesGenerator");
        ds.SetString(DicomTags.PatientName, o.PatientName);
        ds.SetString(DicomTags.PatientID, o.PatientId);
        ds.SetString(DicomTags.PatientBirthDate, "");
        ds.SetString(DicomTags.PatientSex, "O");
        ds.SetString(DicomTags.PatientIdentityRemoved, "YES");
        ds.SetString(DicomTags.DeidentificationMethod, "synthetic data: no real patient");
        ds.SetString(DicomTags.BodyPartExamined, "CHEST");
        ds.SetDecimalString(DicomTags.SliceThickness, o.SliceThicknessMm);
        ds.SetString(DicomTags.KVP, "120");
        ds.SetString(DicomTags.SoftwareVersions, DicomUidGenerator.ImplementationVersionName);
        ds.SetString(DicomTags.PatientPosition, "HFS");
        ds.SetString(DicomTags.StudyInstanceUID, study);
        ds.SetString(DicomTags.SeriesInstanceUID, series);
        ds.SetString(DicomTags.StudyID, "SYNTH1");
        ds.SetIntegerString(DicomTags.SeriesNumber, 1);
        ds.SetIntegerString(DicomTags.AcquisitionNumber, 1);
        ds.SetIntegerString(DicomTags.InstanceNumber, slice + 1);
        ds.SetDecimalString(DicomTags.ImagePositionPatient, x, y, z);
        ds.SetDecimalString(DicomTags.ImageOrientationPatient, 1, 0, 0, 0, 1, 0);
        ds.SetString(DicomTags.FrameOfReferenceUID, frame);
        ds.SetString(DicomTags.PositionReferenceIndicator, "");
        ds.SetDecimalString(DicomTags.SliceLocation, z);
        ds.SetValues(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.SetString(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.SetValues(DicomTags.Rows, DicomVR.US, (ushort)o.Rows);
        ds.SetValues(DicomTags.Columns, DicomVR.US, (ushort)o.Columns);
        ds.SetDecimalString(DicomTags.PixelSpacing, o.PixelSpacingMm, o.PixelSpacingMm);
        ds.SetValues(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.SetValues(DicomTags.BitsStored, DicomVR.US, (ushort)12);
        ds.SetValues(DicomTags.HighBit, DicomVR.US, (ushort)11);
        ds.SetValues(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.SetDecimalString(DicomTags.WindowCenter, 40);
        ds.SetDecimalString(DicomTags.WindowWidth, 400);
        ds.SetDecimalString(DicomTags.RescaleIntercept, RescaleIntercept);
        ds.SetDecimalString(DicomTags.RescaleSlope, RescaleSlope);
        ds.SetString(DicomTags.RescaleType, "HU");
        ds.SetValues(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }
}
