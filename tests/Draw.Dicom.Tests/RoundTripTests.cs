using System.Collections.Concurrent;
using System.Diagnostics;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Tests.Oracle;
using Xunit.Abstractions;

namespace Draw.Dicom.Tests;

/// <summary>Read, write, read: the same dataset every time; explicit VR LE files byte-identical; dcmdump and
/// dciodvfy find nothing new to complain about in what DRAW writes.</summary>
public sealed class RoundTripTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("draw-dicom-roundtrip-").FullName;

    /// <summary>Explicit VR LE files that cannot come back byte-identical, and why.</summary>
    private static readonly Dictionary<string, string> NotByteIdentical = new(StringComparer.Ordinal)
    {
        ["palettes/winter.dcm"] = "holds (0008,0018) twice; like dcmtk, DRAW keeps the first and drops the second (PS3.5 7.1: a tag occurs once per dataset)",
        ["dicomdirtests/DICOMDIR-nooffset"] = "truncated file: the last item states 248 bytes but the file ends first; DRAW writes the length of the elements that are there",
    };

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Every_readable_file_reads_back_the_same_after_writing()
    {
        var failures = new ConcurrentBag<string>();
        var count = 0;
        Parallel.ForEach(ReadableFiles(), new ParallelOptions { MaxDegreeOfParallelism = 2 }, path =>
        {
            var original = DicomFile.Open(path);
            var copy = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".dcm");
            original.Save(copy);
            var again = DicomFile.Open(copy);
            Interlocked.Increment(ref count);
            var problem = SameDataset(original.Dataset, again.Dataset);
            if (problem is not null)
            {
                failures.Add($"{TestFiles.Relative(path)}: {problem}");
            }

            File.Delete(copy);
        });

        output.WriteLine($"{count} files written and read back");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
    }

    [Fact]
    public void Explicit_little_endian_files_come_back_byte_identical()
    {
        var failures = new ConcurrentBag<string>();
        var count = 0;
        Parallel.ForEach(ReadableFiles(), new ParallelOptions { MaxDegreeOfParallelism = 2 }, path =>
        {
            var original = DicomFile.Open(path);
            if (original.TransferSyntax != DicomTransferSyntax.ExplicitVRLittleEndian || !original.HasFileMetaInformation || original.Preamble is null)
            {
                return;
            }

            Interlocked.Increment(ref count);
            using var ms = new MemoryStream();
            DicomFileWriter.Write(ms, original, new DicomWriteOptions { KeepTransferSyntax = true, KeepFileMetaInformation = true });
            var written = ms.ToArray();
            var input = File.ReadAllBytes(path);
            var relative = TestFiles.Relative(path);
            if (!written.AsSpan().SequenceEqual(input) && !NotByteIdentical.Keys.Any(k => relative.EndsWith(k, StringComparison.Ordinal)))
            {
                var at = written.AsSpan().CommonPrefixLength(input);
                failures.Add($"{relative}: first difference at byte {at} (written {written.Length} bytes, input {input.Length})");
            }
        });

        output.WriteLine($"{count} explicit VR little endian files compared byte for byte");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Dcmdump_and_dciodvfy_report_no_new_errors_on_written_files()
    {
        // One file per folder (plus every character-set file) keeps the run short; the dcmdump comparison of
        // the inputs themselves covers every file.
        var chosen = ReadableFiles()
            .GroupBy(f => Path.GetDirectoryName(f)!)
            .SelectMany(g => g.Key.EndsWith("charset_files", StringComparison.Ordinal) ? g.Take(50) : g.Take(2))
            .ToList();
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(chosen, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (path, _) =>
        {
            var copy = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".dcm");
            DicomFile.Open(path).Save(copy);
            var dump = await Dcmdump.RunAsync(copy);
            if (!dump.Succeeded)
            {
                failures.Add($"{TestFiles.Relative(path)}: dcmdump rejects the written file: {dump.Errors.Split('\n')[0]}");
            }

            var before = await DciodvfyErrors(path);
            if (before.Contains("Error - Dicom dataset read failed"))
            {
                // dciodvfy cannot read some inputs (deflated ones); its baseline is then dcmconv's explicit VR LE copy.
                var baseline = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".dcm");
                await RunAsync("dcmconv", "+te", path, baseline);
                before = await DciodvfyErrors(baseline);
            }

            var after = await DciodvfyErrors(copy);
            var added = after.Except(before).ToList();
            if (added.Count > 0)
            {
                failures.Add($"{TestFiles.Relative(path)}: dciodvfy reports new errors: {string.Join(" | ", added.Take(3))}");
            }
        });

        output.WriteLine($"{chosen.Count} written files checked with dcmdump and dciodvfy");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        await p.StandardOutput.ReadToEndAsync();
        await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
    }

    private static async Task<HashSet<string>> DciodvfyErrors(string path)
    {
        var psi = new ProcessStartInfo("dciodvfy") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in ((await stderr) + "\n" + (await stdout)).Split('\n'))
        {
            if (line.StartsWith("Error", StringComparison.Ordinal))
            {
                set.Add(line.Trim());
            }
        }

        return set;
    }

    /// <summary>Corpus files DRAW reads (the dcmdump comparison checks the rejected ones).</summary>
    internal static List<string> ReadableFiles() => Readable.Value;

    private static readonly Lazy<List<string>> Readable = new(FindReadableFiles);

    private static List<string> FindReadableFiles()
    {
        var list = new List<string>();
        foreach (var f in TestFiles.AllCorpusFiles())
        {
            try
            {
                DicomFile.Open(f);
                list.Add(f);
            }
            catch (DicomFormatException)
            {
            }
        }

        return list;
    }

    /// <summary>Same elements, VRs and values (bulk data compared byte for byte).</summary>
    internal static string? SameDataset(DicomDataset a, DicomDataset b)
    {
        var x = DatasetFlattener.Flatten(a);
        var y = DatasetFlattener.Flatten(b);
        for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
        {
            var p = i < x.Count ? x[i] : null;
            var q = i < y.Count ? y[i] : null;
            if (p is not null && q is not null && p.Length is { } pl && (pl & 1) == 1 && q.Length == pl + 1 && p.Path == q.Path && p.VR == q.VR
                && (q.Value ?? "").StartsWith(p.Value ?? "", StringComparison.Ordinal))
            {
                // The writer pads odd-length values to even length (PS3.5 7.1.1); the input was not conformant.
                continue;
            }

            if (p != q && (p is null || q is null || p.Path != q.Path || p.VR != q.VR || p.Length != q.Length || p.Value != q.Value))
            {
                return $"entry {i}: before {p} / after {q}";
            }
        }

        return SameBulk(a, b);
    }

    private static string? SameBulk(DicomDataset a, DicomDataset b)
    {
        foreach (var e in a)
        {
            var f = b.Find(e.Tag);
            switch (e)
            {
                case DicomSequence sq when f is DicomSequence sq2:
                    for (var i = 0; i < sq.Items.Count; i++)
                    {
                        if (SameBulk(sq.Items[i], sq2.Items[i]) is { } problem)
                        {
                            return problem;
                        }
                    }

                    break;
                case DicomFragmentSequence fs when f is DicomFragmentSequence fs2:
                    for (var i = 0; i < fs.Fragments.Count; i++)
                    {
                        if (!fs.Fragments[i].Load().Span.SequenceEqual(fs2.Fragments[i].Load().Span))
                        {
                            return $"{e.Tag} fragment {i} differs";
                        }
                    }

                    break;
                default:
                    if (e.Length > 4096 && f is not null && !e.GetBytes().Span.SequenceEqual(f.GetBytes().Span))
                    {
                        return $"{e.Tag} value bytes differ";
                    }

                    break;
            }
        }

        return null;
    }
}
