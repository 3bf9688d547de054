using Draw.Dicom.IO;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>
/// The 200 files the storage tests send: the 134 LUNG1 CT slices (explicit VR LE), the 60 IBSI phantom slices
/// split into implicit VR LE as shipped, explicit VR big endian and deflated (converted with dcmconv into a
/// temporary folder), and a handful of encapsulated samples (JPEG baseline/extended, JPEG-LS, JPEG 2000, RLE).
/// Built once per test class.
/// </summary>
public sealed class NetworkTestData : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _converted = new("draw-net-data");

    public IReadOnlyList<string> Files { get; private set; } = [];

    public static string LungFolder => Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001", "test", "data", "ct_images_seg_nsclc", "LUNG1-001", "image");

    public static IReadOnlyList<string> LungSlices => [.. Directory.GetFiles(LungFolder, "*.dcm").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> EncapsulatedSamples =>
    [
        Sample("debian-python3-pydicom", "test_files", "MR_small_RLE.dcm"),
        Sample("debian-python3-pydicom", "test_files", "JPEG2000.dcm"),
        Sample("debian-python3-pydicom", "test_files", "SC_rgb_jpeg_dcmtk.dcm"),
        Sample("debian-python3-pydicom", "test_files", "JPGExtended.dcm"),
        Sample("debian-python3-pydicom", "test_files", "SC_rgb_jpeg_gdcm.dcm"),
        Sample("github-cornerstonejs-dicomParser", "testImages", "encapsulated", "multi-frame", "CT0012.fragmented_no_bot_jpeg_ls.80.dcm"),
        Sample("github-cornerstonejs-dicomParser", "testImages", "encapsulated", "multi-frame", "IM00001.fragmented_no_bot_jpeg_baseline.50.dcm"),
        Sample("github-cornerstonejs-dicomParser", "testImages", "encapsulated", "single-frame", "CT1_UNC.fragmented_bot_jpeg_ls.80.dcm"),
    ];

    public async Task InitializeAsync()
    {
        var files = new List<string>(LungSlices);
        var phantom = Directory.GetFiles(Path.Combine(RepoPaths.DicomSamples, "github-theibsi-ct-radiomics-phantom", "ibsi_1_ct_radiomics_phantom", "dicom", "image"), "*.dcm").Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < phantom.Count; i++)
        {
            switch (i % 3)
            {
                case 0:
                    files.Add(phantom[i]);
                    break;
                case 1:
                    files.Add(await ConvertAsync(phantom[i], "+tb", "be"));
                    break;
                default:
                    files.Add(await ConvertAsync(phantom[i], "+td", "dfl"));
                    break;
            }
        }

        files.AddRange(EncapsulatedSamples);
        // One file per SOP instance: the SCP names files by SOP instance UID.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Files = [.. files.Where(f => seen.Add(SopInstanceOf(f))).Take(200)];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _converted.Dispose();

    public static string SopInstanceOf(string file) =>
        DicomFile.OpenHeader(file).Dataset.GetString(Core.DicomTags.SOPInstanceUID)!.Trim('\0', ' ');

    /// <summary>The data set bytes of a Part 10 file (everything after the meta group).</summary>
    public static byte[] DataSetBytes(string file)
    {
        var offset = DicomFile.OpenHeader(file).DatasetOffset;
        var all = File.ReadAllBytes(file);
        return all[(int)offset..];
    }

    private static string Sample(params string[] parts) => Path.Combine([RepoPaths.DicomSamples, .. parts]);

    private async Task<string> ConvertAsync(string source, string option, string suffix)
    {
        var target = Path.Combine(_converted.Path, $"{Path.GetFileNameWithoutExtension(source)}.{suffix}.dcm");
        await Dcmtk.ConvertAsync(source, target, option);
        return target;
    }
}
