using System.Diagnostics;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;
using Draw.Testing.Series;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests.Series;

public sealed class CtSeriesGeneratorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder temp = new("draw-series");

    // 64x64 pixels of 8 mm: a 512 mm field of view, small enough to compare every pixel.
    private static readonly CtSeriesOptions Small = new() { Slices = 10, Rows = 64, Columns = 64, PixelSpacingMm = 8, SliceThicknessMm = 3 };

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Every_slice_carries_the_image_plane_and_the_shared_identifiers()
    {
        var series = CtSeriesGenerator.Write(temp.Path, Small);

        Assert.Equal(10, series.Files.Count);
        var sopInstances = new HashSet<string>();
        for (var i = 0; i < series.Files.Count; i++)
        {
            var file = DicomFile.Open(series.Files[i]);
            var ds = file.Dataset;
            Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, file.TransferSyntax.Uid);
            Assert.Equal(DicomUids.CTImageStorage, ds.GetString(DicomTags.SOPClassUID));
            Assert.Equal(DicomUids.CTImageStorage, file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID));
            Assert.True(sopInstances.Add(ds.GetString(DicomTags.SOPInstanceUID)!));
            Assert.Equal(series.StudyInstanceUid, ds.GetString(DicomTags.StudyInstanceUID));
            Assert.Equal(series.SeriesInstanceUid, ds.GetString(DicomTags.SeriesInstanceUID));
            Assert.Equal(series.FrameOfReferenceUid, ds.GetString(DicomTags.FrameOfReferenceUID));
            Assert.Equal("SYNTHETIC^PHANTOM", ds.GetString(DicomTags.PatientName));
            Assert.Equal("CT", ds.GetString(DicomTags.Modality));
            Assert.Equal(i + 1, ds.GetInt32(DicomTags.InstanceNumber));
            Assert.Equal([1.0, 0, 0, 0, 1, 0], ds.GetDoubles(DicomTags.ImageOrientationPatient));
            Assert.Equal([8.0, 8.0], ds.GetDoubles(DicomTags.PixelSpacing));
            Assert.Equal(3.0, ds.GetDouble(DicomTags.SliceThickness));
            Assert.Equal(-1024.0, ds.GetDouble(DicomTags.RescaleIntercept));
            Assert.Equal(1.0, ds.GetDouble(DicomTags.RescaleSlope));
            Assert.Equal<ushort>([64], ds.GetValues<ushort>(DicomTags.Rows));
            Assert.Equal<ushort>([64], ds.GetValues<ushort>(DicomTags.Columns));

            // Centred in x and y, slices 3 mm apart and centred on z = 0.
            var position = ds.GetDoubles(DicomTags.ImagePositionPatient);
            Assert.Equal(-252.0, position[0], 6);
            Assert.Equal(-252.0, position[1], 6);
            Assert.Equal(-13.5 + (3 * i), position[2], 6);
            Assert.Equal(position[2], ds.GetDouble(DicomTags.SliceLocation)!.Value, 6);
        }
    }

    [Fact]
    public void Pixels_sample_the_phantom_at_each_pixel_centre()
    {
        var series = CtSeriesGenerator.Write(temp.Path, Small);

        for (var slice = 0; slice < series.Files.Count; slice++)
        {
            var pixels = DicomFile.Open(series.Files[slice]).Dataset.GetValues<ushort>(DicomTags.PixelData);
            Assert.Equal(64 * 64, pixels.Length);
            for (var r = 0; r < 64; r++)
            {
                for (var c = 0; c < 64; c++)
                {
                    var (x, y, z) = series.PixelCentre(slice, r, c);
                    Assert.Equal(series.Phantom.HounsfieldAt(x, y, z), pixels[(r * 64) + c] - 1024);
                }
            }
        }
    }

    [Fact]
    public void The_phantom_has_its_documented_shape()
    {
        // 1 mm pixels over 512 mm: areas in pixels are areas in mm².
        var series = CtSeriesGenerator.Write(temp.Path, new CtSeriesOptions { Slices = 5, PixelSpacingMm = 1, SliceThicknessMm = 5 });
        var counts = new Dictionary<int, int>();
        var centre = DicomFile.Open(series.Files[2]).Dataset.GetValues<ushort>(DicomTags.PixelData);
        foreach (var p in centre)
        {
            counts[p - 1024] = counts.GetValueOrDefault(p - 1024) + 1;
        }

        var lungArea = 2 * Math.PI * 40 * 70;
        var cylinderArea = Math.PI * 150 * 150;
        Assert.InRange(counts[CtPhantom.LungHu], lungArea * 0.98, lungArea * 1.02);
        Assert.InRange(counts[CtPhantom.WaterHu] + counts[CtPhantom.LungHu], cylinderArea * 0.99, cylinderArea * 1.01);
        Assert.InRange(counts[CtPhantom.CouchHu], 440 * 20, 441 * 21);

        // The first and last slices lie outside the central 80 %: water without lungs.
        var first = DicomFile.Open(series.Files[0]).Dataset.GetValues<ushort>(DicomTags.PixelData);
        Assert.DoesNotContain((ushort)(CtPhantom.LungHu + 1024), first);
        Assert.Equal(1024, first[(256 * 512) + 256]);

        // Known landmarks in the central slice: water at the centre, lung at (±60, -10), air at the corner.
        Assert.Equal(CtPhantom.WaterHu, HuAt(series, centre, 0, 0));
        Assert.Equal(CtPhantom.LungHu, HuAt(series, centre, -60, -10));
        Assert.Equal(CtPhantom.LungHu, HuAt(series, centre, 60, -10));
        Assert.Equal(CtPhantom.AirHu, HuAt(series, centre, -240, -240));
        Assert.Equal(CtPhantom.CouchHu, HuAt(series, centre, 0, 180));
        Assert.Equal(CtPhantom.WaterHu, HuAt(series, centre, 148, 0));
        Assert.Equal(CtPhantom.AirHu, HuAt(series, centre, 152, 0));
    }

    [Fact]
    public void The_default_slice_is_512_by_512_with_16_bit_pixels()
    {
        var series = CtSeriesGenerator.Write(temp.Path, new CtSeriesOptions { Slices = 1 });
        var ds = DicomFile.Open(series.Files[0]).Dataset;

        Assert.Equal(512 * 512 * 2, ds.Find(DicomTags.PixelData)!.Length);
        Assert.Equal<ushort>([16], ds.GetValues<ushort>(DicomTags.BitsAllocated));
        Assert.Equal<ushort>([12], ds.GetValues<ushort>(DicomTags.BitsStored));
        Assert.Equal("MONOCHROME2", ds.GetString(DicomTags.PhotometricInterpretation));
    }

    [Fact]
    public async Task Dcmdump_reads_every_file_without_errors()
    {
        var series = CtSeriesGenerator.Write(temp.Path, Small);

        var (code, stdout, stderr) = await RunAsync("dcmdump", ["-M", .. series.Files]);

        Assert.True(code == 0, $"dcmdump exit {code}: {stderr}");
        Assert.DoesNotContain("E: ", stderr);
        Assert.DoesNotContain("W: ", stderr);
        Assert.Contains("SYNTHETIC^PHANTOM", stdout);
    }

    [Fact]
    public async Task Dciodvfy_finds_no_errors_in_the_ct_image_iod()
    {
        var series = CtSeriesGenerator.Write(temp.Path, Small with { Slices = 2 });

        foreach (var file in series.Files)
        {
            var (code, stdout, stderr) = await RunAsync("dciodvfy", [file]);
            var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var warning in lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)))
            {
                output.WriteLine($"dciodvfy {Path.GetFileName(file)}: {warning}");
            }

            var errors = lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"dciodvfy (exit {code}) reports:\n{string.Join('\n', errors)}");
            Assert.Contains(lines, l => l.Contains("CTImage", StringComparison.Ordinal));
        }
    }

    private static short HuAt(CtSeries series, ushort[] pixels, double x, double y)
    {
        var (x0, y0, _) = series.ImagePosition(0);
        var column = (int)Math.Round((x - x0) / series.Options.PixelSpacingMm);
        var row = (int)Math.Round((y - y0) / series.Options.PixelSpacingMm);
        return (short)(pixels[(row * series.Options.Columns) + column] - 1024);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
