using System.Globalization;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Testing;
using Draw.Testing.Series;

namespace Draw.Benchmarks.Harness;

public enum BenchmarkMode
{
    Short,
    Full,
}

/// <summary>What a scenario gets from the runner: the mode, a work folder, and the prepared CT series.</summary>
public sealed class ScenarioContext
{
    public ScenarioContext(BenchmarkMode mode, string workFolder, IReadOnlyList<FileSet> ctSeries)
    {
        Mode = mode;
        WorkFolder = workFolder;
        CtSeries = ctSeries;
    }

    public BenchmarkMode Mode { get; }

    /// <summary>Scratch space for this run (data sets, outputs, servers' storage).</summary>
    public string WorkFolder { get; }

    /// <summary>Synthetic CT series of the mode's size, and LUNG1-001 (134 CT slices) when the shared samples are present.</summary>
    public IReadOnlyList<FileSet> CtSeries { get; }

    /// <summary>Prepares the CT data sets: a synthetic series (48 slices in short mode, 300 in full mode, 512x512,
    /// generated once per size and kept in the work folder) and the shared LUNG1-001 CT series when present.</summary>
    public static ScenarioContext Create(BenchmarkMode mode, string workFolder, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(workFolder);
        var sets = new List<FileSet>();
        var slices = mode == BenchmarkMode.Full ? 300 : 48;
        var folder = Path.Combine(workFolder, "data", $"synthetic-ct-{slices}x512x512");
        var done = Path.Combine(folder, ".complete");
        if (!File.Exists(done))
        {
            log.WriteLine($"generating a synthetic CT series of {slices} slices in {folder}");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            CtSeriesGenerator.Write(folder, new CtSeriesOptions { Slices = slices });
            File.WriteAllText(done, "");
        }

        sets.Add(MakeSet(workFolder, $"synthetic-{slices}", $"synthetic CT phantom, {slices} slices 512x512, explicit VR little endian (tests/Draw.Testing/Series)",
            Directory.GetFiles(folder, "*.dcm")));

        var lung = Lung1Folder();
        if (lung is not null)
        {
            sets.Add(MakeSet(workFolder, "lung1-001", "LUNG1-001 (shared samples): 134 CT slices 512x512 of a real, de-identified patient, explicit VR little endian",
                Directory.GetFiles(lung, "*.dcm")));
        }
        else
        {
            log.WriteLine("LUNG1-001 not found under the shared samples: running on the synthetic series only");
        }

        return new ScenarioContext(mode, workFolder, sets);
    }

    /// <summary>The file list repeated <paramref name="passes"/> times (same files, in the same order).</summary>
    public FileSet Repeated(FileSet set, int passes)
    {
        ArgumentNullException.ThrowIfNull(set);
        var files = Enumerable.Repeat(set.Files, passes).SelectMany(f => f);
        return MakeSet(WorkFolder, $"{set.Name}-x{passes}", $"{set.Name} {passes} times", files, sort: false);
    }

    /// <summary>
    /// The files and <paramref name="copies"/> − 1 copies of them that differ only in their SOP Instance UID: a
    /// list of distinct instances <paramref name="copies"/> times as long, for receivers that would otherwise
    /// overwrite what they just stored. Written once per work folder (and data set).
    /// </summary>
    public FileSet DistinctCopies(FileSet set, int copies)
    {
        ArgumentNullException.ThrowIfNull(set);
        var folder = Path.Combine(WorkFolder, "data", $"{set.Name}-copies-{copies}");
        var files = new List<string>(set.Files);
        for (var k = 1; k < copies; k++)
        {
            var copyFolder = Path.Combine(folder, k.ToString(CultureInfo.InvariantCulture));
            var expected = set.Files.Select(f => Path.Combine(copyFolder, Path.GetFileName(f))).ToList();
            if (!expected.All(File.Exists))
            {
                Directory.CreateDirectory(copyFolder);
                foreach (var (source, target) in set.Files.Zip(expected))
                {
                    var file = DicomFile.Open(source);
                    file.Dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUidGenerator.Default.Generate());
                    file.Save(target);
                }
            }

            files.AddRange(expected);
        }

        return MakeSet(WorkFolder, $"{set.Name}-distinct-x{copies}", $"{set.Name} and {copies - 1} copies with new SOP Instance UIDs", files, sort: false);
    }

    /// <summary>An empty output folder for a contender's run.</summary>
    public string CleanOutputFolder(string scenario, string contender)
    {
        var folder = Path.Combine(WorkFolder, "out", scenario, string.Concat(contender.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string? Lung1Folder()
    {
        var folder = Path.Combine(RepoPaths.Shared, "dicom-samples", "github-mirp-NSCLC-LUNG1-001", "test", "data", "ct_images_seg_nsclc", "LUNG1-001", "image");
        return Directory.Exists(folder) && Directory.GetFiles(folder, "*.dcm").Length > 0 ? folder : null;
    }

    private static FileSet MakeSet(string workFolder, string name, string description, IEnumerable<string> files, bool sort = true)
    {
        var sorted = sort ? files.Order(StringComparer.Ordinal).ToList() : files.ToList();
        var lists = Path.Combine(workFolder, "lists");
        Directory.CreateDirectory(lists);
        var listFile = Path.Combine(lists, name + ".list");
        File.WriteAllLines(listFile, sorted);
        return new FileSet(name, description, sorted, sorted.Sum(f => new FileInfo(f).Length), listFile);
    }
}
