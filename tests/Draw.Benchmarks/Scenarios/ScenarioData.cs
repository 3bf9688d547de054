using Draw.Benchmarks.Harness;
using Draw.Testing.Series;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Data sets some scenarios need beside the shared CT series: generated once per size in the work folder.</summary>
public static class ScenarioData
{
    /// <summary>A synthetic CT series of <paramref name="slices"/> slices of <paramref name="matrix"/>² pixels, generated
    /// once (kept in the work folder), as a file set with its list file.</summary>
    public static FileSet SyntheticSeries(ScenarioContext context, int slices, int matrix, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var folder = Path.Combine(context.WorkFolder, "data", $"synthetic-ct-{slices}x{matrix}x{matrix}");
        Generate(folder, log, f => CtSeriesGenerator.Write(f, new CtSeriesOptions { Slices = slices, Rows = matrix, Columns = matrix, PixelSpacingMm = 500.0 / matrix }));
        return ListSet(context, $"synthetic-{slices}x{matrix}",
            $"synthetic CT phantom, {slices} slices {matrix}x{matrix}, explicit VR little endian (tests/Draw.Testing/Series)",
            Directory.GetFiles(folder, "*.dcm"));
    }

    /// <summary>Generates into <paramref name="folder"/> unless a previous run completed it (marked by a .complete file).</summary>
    public static void Generate(string folder, TextWriter? log, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var done = Path.Combine(folder, ".complete");
        if (File.Exists(done))
        {
            return;
        }

        log?.WriteLine($"generating {folder}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        write(folder);
        File.WriteAllText(done, "");
    }

    /// <summary>A file set over <paramref name="files"/> (sorted), with its list file in the work folder.</summary>
    public static FileSet ListSet(ScenarioContext context, string name, string description, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sorted = files.Order(StringComparer.Ordinal).ToList();
        var lists = Path.Combine(context.WorkFolder, "lists");
        Directory.CreateDirectory(lists);
        var listFile = Path.Combine(lists, name + ".list");
        File.WriteAllLines(listFile, sorted);
        return new FileSet(name, description, sorted, sorted.Sum(f => new FileInfo(f).Length), listFile);
    }
}
