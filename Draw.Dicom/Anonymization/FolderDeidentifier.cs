using System.Collections.Concurrent;
using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Dicom.Anonymization;

/// <summary>How a folder (or list of files) is de-identified.</summary>
public sealed record FolderDeidentificationOptions
{
    /// <summary>Files read, mapped and written together: one UID-map call per batch.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Files read and written at once.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The output files are on disk (fsync) when the call returns. They are flushed together after each
    /// batch rather than one by one as written: one journal commit for many files instead of one each.</summary>
    public bool FlushToDisk { get; init; } = true;
}

/// <summary>One input file's outcome: the output path, or why it was skipped (the message names tags and offsets, never values).</summary>
public sealed record FileOutcome(string InputPath, string? OutputPath, string? OriginalSopInstanceUid, string? SopInstanceUid, string? Error);

public sealed record FolderDeidentificationResult(IReadOnlyList<FileOutcome> Files)
{
    public int Written => Files.Count(f => f.OutputPath is not null);

    public IEnumerable<FileOutcome> Failures => Files.Where(f => f.Error is not null);
}

/// <summary>
/// De-identifies every DICOM file of a folder (recursively) or a list of files into an output folder, with
/// one <see cref="Deidentifier"/>. Output files are named by their new SOP Instance UID (file names can carry
/// identifiers too), keep their transfer syntax, and appear atomically. Pixel data is copied from the input
/// file range to the output without being decoded. Files that are not DICOM are reported, not written.
/// </summary>
public static class FolderDeidentifier
{
    public static Task<FolderDeidentificationResult> DeidentifyFolderAsync(string inputFolder, string outputFolder, Deidentifier engine,
        FolderDeidentificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputFolder);
        var files = Directory.EnumerateFiles(inputFolder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        return DeidentifyFilesAsync(files, outputFolder, engine, options, cancellationToken);
    }

    public static async Task<FolderDeidentificationResult> DeidentifyFilesAsync(IReadOnlyList<string> inputFiles, string outputFolder, Deidentifier engine,
        FolderDeidentificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputFiles);
        ArgumentNullException.ThrowIfNull(outputFolder);
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new FolderDeidentificationOptions();
        Directory.CreateDirectory(outputFolder);
        var outcomes = new FileOutcome[inputFiles.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = cancellationToken };
        // Flushed together after each batch; each file's writing to disk starts as soon as it is written.
        var writeOptions = new DicomWriteOptions { KeepTransferSyntax = true, FlushToDisk = false, StartWriteback = options.FlushToDisk };
        for (var start = 0; start < inputFiles.Count; start += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, inputFiles.Count - start);
            var read = new DicomFile?[count];
            var offset = start;
            await Parallel.ForAsync(0, count, parallel, (i, _) =>
            {
                var path = inputFiles[offset + i];
                try
                {
                    read[i] = DicomFile.Open(path);
                }
                catch (DicomFormatException ex)
                {
                    outcomes[offset + i] = new FileOutcome(path, null, null, null, $"not readable as DICOM: {ex.Problem ?? "malformed"} at offset {ex.Offset}");
                }
                catch (IOException ex)
                {
                    outcomes[offset + i] = new FileOutcome(path, null, null, null, $"cannot read: {ex.GetType().Name}");
                }

                return ValueTask.CompletedTask;
            });

            var batch = read.Where(f => f is not null).Select(f => f!).ToList();
            var index = new List<int>(batch.Count);
            for (var i = 0; i < count; i++)
            {
                if (read[i] is not null)
                {
                    index.Add(offset + i);
                }
            }

            // One map call for the batch; then each file is cleaned and written by the same worker, in parallel.
            var mapping = await engine.MapBatchAsync(batch, cancellationToken);
            var written = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            await Parallel.ForAsync(0, batch.Count, parallel, (i, _) =>
            {
                var result = engine.Apply(batch[i], mapping.Uids, mapping.Pseudonyms[i]);
                var input = inputFiles[index[i]];
                var name = (result.SopInstanceUid is { Length: > 0 } uid ? uid : Guid.NewGuid().ToString("N")) + ".dcm";
                if (!written.TryAdd(name, 0))
                {
                    // Two inputs with one SOP Instance UID (duplicates): the second is reported, not overwritten.
                    outcomes[index[i]] = new FileOutcome(input, null, result.OriginalSopInstanceUid, result.SopInstanceUid, "duplicate SOP Instance UID in the input; skipped");
                    return ValueTask.CompletedTask;
                }

                var output = Path.Combine(outputFolder, name);
                result.File.Save(output, writeOptions);
                outcomes[index[i]] = new FileOutcome(input, output, result.OriginalSopInstanceUid, result.SopInstanceUid, null);
                return ValueTask.CompletedTask;
            });

            if (options.FlushToDisk)
            {
                await DicomFileWriter.FlushToDiskAsync(index.Select(i => outcomes[i].OutputPath).OfType<string>(), cancellationToken);
            }
        }

        return new FolderDeidentificationResult(outcomes);
    }
}
