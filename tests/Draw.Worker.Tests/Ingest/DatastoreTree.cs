using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;

namespace Draw.Worker.Tests.Ingest;

/// <summary>A temporary datastore built from the shared sample sets, with helpers to add awkward files.</summary>
internal sealed class DatastoreTree : IDisposable
{
    private readonly TempFolder folder = new("draw-datastore");

    public string Root => folder.Path;

    public static string LungImages => Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image");

    public static string LungRtStruct => Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/mask_rtstruct");

    public static string MrImages => Path.Combine(RepoPaths.DicomSamples, "github-mirp-STS_001-MR_T2/test/data/sts_images_raw/STS_001/MR_T2/image");

    public static string MrMask => Path.Combine(RepoPaths.DicomSamples, "github-mirp-STS_001-MR_T2/test/data/sts_images_raw/STS_001/MR_T2/mask");

    /// <summary>Copies every file of <paramref name="source"/> into <paramref name="relative"/> under the root.</summary>
    public string CopyFolder(string source, string relative, int? take = null)
    {
        var target = Path.Combine(Root, relative);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(RepoPaths.RequireFolder(source)).Order(StringComparer.Ordinal).Take(take ?? int.MaxValue))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public string Write(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A copy of a CT slice as a one-slice localizer series (new UIDs, a scout description).</summary>
    public string WriteLocalizer(string relative)
    {
        var file = DicomFile.Open(Directory.GetFiles(LungImages).Order(StringComparer.Ordinal).First());
        var uids = new DicomUidGenerator();
        file.Dataset.SetString(DicomTags.SeriesInstanceUID, uids.Generate());
        file.Dataset.SetString(DicomTags.SOPInstanceUID, uids.Generate());
        file.Dataset.SetString(DicomTags.SeriesDescription, "Topogram 0.6 T20f");
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        file.Save(path);
        return path;
    }

    /// <summary>Sets every file and folder time to <paramref name="time"/>, as if untouched since.</summary>
    public void AgeEverything(DateTime time)
    {
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, time);
        }

        foreach (var directory in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories).Append(Root))
        {
            Directory.SetLastWriteTimeUtc(directory, time);
        }
    }

    public void Dispose() => folder.Dispose();
}
