using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Testing.Export;

/// <summary>
/// A DRAW pipeline output tree (protocol/results/experiment/series/AUTOSEGMENT.RT.dcm, the layout
/// DRAW RTSST walks) built at test time from the shared samples, with broken files among the good ones.
/// </summary>
public static class HarvestTree
{
    /// <summary>The RTSTRUCT whose StudyTime has fractional seconds (101010.123).</summary>
    public const string FractionalTimeFile = "protocolB/results/2/phantom/AUTOSEGMENT.RT.dcm";

    /// <summary>Distinct RTSTRUCT instances in the tree (the duplicate file counts once).</summary>
    public const int DistinctRtStructs = 4;

    /// <summary>RTSTRUCT files, the duplicate included.</summary>
    public const int RtStructFiles = 5;

    /// <summary>Files that cannot be read as DICOM or have no SOPInstanceUID.</summary>
    public static readonly string[] Unreadable =
    [
        "protocolA/results/1/broken/AUTOSEGMENT.RT.dcm", // an RTSTRUCT cut short in its header
        "protocolA/results/1/nosop/AUTOSEGMENT.RT.dcm",  // an RTSTRUCT without SOPInstanceUID
        "protocolA/results/notes.txt",
        "protocolB/results/2/zipped/zipMR.gz",
        "protocolB/results/2/truncated/MR_truncated.dcm",
    ];

    public static IReadOnlyList<string> Create(string root)
    {
        var samples = RepoPaths.DicomSamples;
        var rtUtils = Path.Combine(samples, "github-qurit-rt-utils", "tests");
        void Copy(string source, string relative)
        {
            var target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
        }

        Copy(Path.Combine(rtUtils, "mock_data", "rt.dcm"), "protocolA/results/1/seriesA/AUTOSEGMENT.RT.dcm");
        Copy(Path.Combine(samples, "github-mirp-NSCLC-LUNG1-001", "test", "data", "ct_images_seg_nsclc", "LUNG1-001", "mask_rtstruct", "1-1.dcm"), "protocolA/results/1/lung/AUTOSEGMENT.RT.dcm");
        Copy(Path.Combine(rtUtils, "mock_data", "invalid_reference_rt.dcm"), "protocolA/results/3/mim/AUTOSEGMENT.RT.dcm");
        Copy(Path.Combine(rtUtils, "empty", "dummy_rt.dcm"), "protocolA/results/3/mim-copy/AUTOSEGMENT.RT.dcm");
        Copy(Path.Combine(rtUtils, "mock_data", "ct_1.dcm"), "protocolA/results/1/seriesA/ct_1.dcm");

        var phantom = DicomFile.Open(Path.Combine(samples, "github-theibsi-ct-radiomics-phantom", "ibsi_1_ct_radiomics_phantom", "dicom", "mask", "DCM_RS_00060.dcm"));
        phantom.Dataset.SetString(DicomTags.StudyDate, "20170101");
        phantom.Dataset.SetString(DicomTags.StudyTime, "101010.123");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, FractionalTimeFile))!);
        phantom.Save(Path.Combine(root, FractionalTimeFile));

        var rt = File.ReadAllBytes(Path.Combine(rtUtils, "mock_data", "rt.dcm"));
        Directory.CreateDirectory(Path.Combine(root, "protocolA/results/1/broken"));
        File.WriteAllBytes(Path.Combine(root, Unreadable[0]), rt[..300]);
        var noSop = DicomFile.Open(Path.Combine(rtUtils, "mock_data", "rt.dcm"));
        noSop.Dataset.Remove(DicomTags.SOPInstanceUID);
        Directory.CreateDirectory(Path.Combine(root, "protocolA/results/1/nosop"));
        noSop.Save(Path.Combine(root, Unreadable[1]));
        File.WriteAllText(Path.Combine(root, Unreadable[2]), "not DICOM");
        Copy(Path.Combine(samples, "debian-python3-pydicom", "test_files", "zipMR.gz"), Unreadable[3]);
        Copy(Path.Combine(samples, "debian-python3-pydicom", "test_files", "MR_truncated.dcm"), Unreadable[4]);
        return Directory.GetFiles(root, "*", SearchOption.AllDirectories);
    }

    /// <summary>Makes every file in the tree older than any quiet period.</summary>
    public static void Age(string root)
    {
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        }
    }
}
