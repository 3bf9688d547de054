using Draw.Dicom.Imaging;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Testing;

namespace Draw.Worker.Tests.Backends.Local;

/// <summary>The shared LUNG1-001 CT and STS_001 MR series, loaded once.</summary>
public static class LocalSamples
{
    private const string Lung1 = "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001";
    private const string Mr = "github-mirp-STS_001-MR_T2/test/data/sts_images_raw/STS_001/MR_T2/image";

    private static readonly Lazy<ImageVolume> s_ct = new(() => VolumeLoader.Load(Lung1Files));
    private static readonly Lazy<ImageVolume> s_mr = new(() => VolumeLoader.Load(MrFiles));

    public static IReadOnlyList<string> Lung1Files => [.. Directory.GetFiles(Path.Combine(RepoPaths.DicomSamples, Lung1, "image"), "*.dcm").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> MrFiles => [.. Directory.GetFiles(Path.Combine(RepoPaths.DicomSamples, Mr), "*.dcm").Order(StringComparer.Ordinal)];

    public static string Lung1RtStruct => Path.Combine(RepoPaths.DicomSamples, Lung1, "mask_rtstruct", "1-1.dcm");

    public static ImageVolume Ct => s_ct.Value;

    public static ImageVolume MrVolume => s_mr.Value;

    public static RtStructureSet Lung1Structures() => RtStructureSet.Read(DicomFile.Open(Lung1RtStruct).Dataset);

    /// <summary>A slice in a CT window with mask outlines in colour (red, green, blue), for looking at failures.</summary>
    public static void Snapshot(string path, ImageVolume volume, int slice, double center, double width, params VolumeMask?[] masks)
    {
        var w = volume.Columns;
        var h = volume.Rows;
        var gray = PngWriter.Window(volume.Slice(slice), center, width);
        var rgb = new byte[w * h * 3];
        for (var i = 0; i < w * h; i++)
        {
            rgb[3 * i] = rgb[(3 * i) + 1] = rgb[(3 * i) + 2] = gray[i];
        }

        for (var m = 0; m < masks.Length; m++)
        {
            if (masks[m] is not { } mask)
            {
                continue;
            }

            var s = mask.Slice(slice);
            for (var y = 1; y < h - 1; y++)
            {
                for (var x = 1; x < w - 1; x++)
                {
                    var i = (y * w) + x;
                    if (s[i] != 0 && (s[i - 1] == 0 || s[i + 1] == 0 || s[i - w] == 0 || s[i + w] == 0))
                    {
                        rgb[3 * i] = m == 0 ? (byte)255 : (byte)0;
                        rgb[(3 * i) + 1] = m == 1 ? (byte)255 : (byte)0;
                        rgb[(3 * i) + 2] = m == 2 ? (byte)255 : (byte)0;
                    }
                }
            }
        }

        PngWriter.Write(path, rgb, w, h, rgb: true);
        if (h < 460)
        {
            return;
        }

        // The bottom of a 512-row CT (rows 340-459) twice as large: where the couch is.
        var zoom = new byte[w * 2 * 120 * 2 * 3];
        for (var y = 0; y < 240; y++)
        {
            for (var x = 0; x < w * 2; x++)
            {
                var src = (((340 + (y / 2)) * w) + (x / 2)) * 3;
                var dst = ((y * w * 2) + x) * 3;
                zoom[dst] = rgb[src];
                zoom[dst + 1] = rgb[src + 1];
                zoom[dst + 2] = rgb[src + 2];
            }
        }

        PngWriter.Write(Path.ChangeExtension(path, ".bottom.png"), zoom, w * 2, 240, rgb: true);
    }
}
