using BenchmarkDotNet.Attributes;
using Draw.Dicom.IO;
using Draw.Testing;
using Draw.Testing.Series;

namespace Draw.Benchmarks.Micro;

/// <summary>Parsing and writing one CT slice: header-only and full parses from memory and from disk, and a write.</summary>
[MemoryDiagnoser]
public class DicomParsingBenchmarks
{
    private string folder = "";
    private string path = "";
    private byte[] bytes = [];
    private DicomFile loaded = null!;
    private readonly MemoryStream output = new();

    /// <summary>"synthetic": a generated 512x512 slice; "lung1": the first LUNG1-001 slice when the shared samples are present.</summary>
    [ParamsSource(nameof(Inputs))]
    public string Input { get; set; } = "synthetic";

    public static IEnumerable<string> Inputs() => Lung1FirstSlice() is null ? ["synthetic"] : ["synthetic", "lung1"];

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), $"draw-micro-{Guid.NewGuid():N}");
        path = Input == "lung1"
            ? Lung1FirstSlice() ?? throw new InvalidOperationException("LUNG1-001 is missing")
            : CtSeriesGenerator.Write(folder, new CtSeriesOptions { Slices = 1 }).Files[0];
        bytes = File.ReadAllBytes(path);
        loaded = DicomFile.Open(path);
        loaded.Dataset.LoadBulkData();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Benchmark(Description = "header-only parse, from memory")]
    public DicomFile HeaderOnlyFromMemory() => DicomFileReader.Read(new MemoryStream(bytes, writable: false), DicomReadOptions.HeaderOnly);

    [Benchmark(Description = "header-only parse, from disk (OpenHeader)")]
    public DicomFile HeaderOnlyFromDisk() => DicomFile.OpenHeader(path);

    [Benchmark(Description = "full parse, from memory (pixel data copied)")]
    public DicomFile FullParseFromMemory() => DicomFileReader.Read(new MemoryStream(bytes, writable: false));

    [Benchmark(Description = "full parse, from disk (pixel data left in the file)")]
    public DicomFile FullParseFromDisk() => DicomFile.Open(path);

    [Benchmark(Description = "write to memory (pixel data in memory)")]
    public long WriteToMemory()
    {
        output.SetLength(0);
        DicomFileWriter.Write(output, loaded, new DicomWriteOptions { KeepTransferSyntax = true });
        return output.Length;
    }

    private static string? Lung1FirstSlice()
    {
        var dir = Path.Combine(RepoPaths.Shared, "dicom-samples", "github-mirp-NSCLC-LUNG1-001", "test", "data", "ct_images_seg_nsclc", "LUNG1-001", "image");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.dcm").Order(StringComparer.Ordinal).FirstOrDefault() : null;
    }
}
