namespace Draw.Dicom.Tests;

/// <summary>Locates the shared sample corpora. A missing folder fails the test with a clear message.</summary>
public static class TestFiles
{
    private static readonly Lazy<string> RepoRoot = new(FindRepoRoot);

    public static string Root => RepoRoot.Value;

    /// <summary>../shared/dicom-samples next to the repository (never copied into it).</summary>
    public static string SamplesFolder => RequireFolder(Path.GetFullPath(Path.Combine(Root, "..", "shared", "dicom-samples")));

    /// <summary>Debian's python3-pydicom test data.</summary>
    public static string PydicomFolder => RequireFolder("/usr/lib/python3/dist-packages/pydicom/data");

    public static string Sample(string relative) => RequireFile(Path.Combine(SamplesFolder, relative));

    public static string PydicomFile(string name) => Sample(Path.Combine("debian-python3-pydicom", "test_files", name));

    public static string CharsetFile(string name) => Sample(Path.Combine("debian-python3-pydicom", "charset_files", name));

    /// <summary>Every file of the sample corpus and of Debian's pydicom data, except the corpus' own notes.</summary>
    public static IReadOnlyList<string> AllCorpusFiles()
    {
        var files = new List<string>();
        foreach (var f in Directory.EnumerateFiles(SamplesFolder, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(f);
            if (name is "SOURCE.txt" or "INDEX.md")
            {
                continue;
            }

            files.Add(f);
        }

        foreach (var f in Directory.EnumerateFiles(PydicomFolder, "*", SearchOption.AllDirectories))
        {
            if (f.EndsWith(".py", StringComparison.Ordinal) || f.Contains("__pycache__", StringComparison.Ordinal))
            {
                continue;
            }

            files.Add(f);
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Path relative to the corpus that holds it, for readable test output and the known-differences table.</summary>
    public static string Relative(string path)
    {
        var samples = SamplesFolder + Path.DirectorySeparatorChar;
        if (path.StartsWith(samples, StringComparison.Ordinal))
        {
            return path[samples.Length..];
        }

        var pydicom = PydicomFolder + Path.DirectorySeparatorChar;
        return path.StartsWith(pydicom, StringComparison.Ordinal) ? "debian:" + path[pydicom.Length..] : path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Draw.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"cannot find the folder holding Draw.sln above {AppContext.BaseDirectory}");
    }

    private static string RequireFolder(string path)
    {
        if (!Directory.Exists(path))
        {
            Assert.Fail($"test data folder missing: {path}. The DICOM tests need ../shared/dicom-samples beside the repository and Debian's python3-pydicom data.");
        }

        return path;
    }

    private static string RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"test data file missing: {path}");
        }

        return path;
    }
}
