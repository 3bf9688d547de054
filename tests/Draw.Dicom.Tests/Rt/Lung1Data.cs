using Draw.Dicom.Imaging;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;

namespace Draw.Dicom.Tests.Rt;

/// <summary>LUNG1-001 (134 CT slices and its RTSTRUCT), loaded once per test run.</summary>
public static class Lung1Data
{
    private const string Folder = "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001";

    private static readonly Lazy<ImageVolume> s_volume = new(() => VolumeLoader.Load(ImageFiles));

    private static readonly Lazy<RtStructureSet> s_structures = new(() => RtStructureSet.Read(DicomFile.Open(RtStructPath).Dataset));

    public static string ImageFolder => Path.Combine(TestFiles.SamplesFolder, Folder, "image");

    public static IReadOnlyList<string> ImageFiles => [.. Directory.GetFiles(ImageFolder, "*.dcm").Order(StringComparer.Ordinal)];

    public static string RtStructPath => TestFiles.Sample(Folder + "/mask_rtstruct/1-1.dcm");

    public static ImageVolume Volume => s_volume.Value;

    public static RtStructureSet Structures => s_structures.Value;
}
