using System.Buffers.Binary;
using System.Text;
using Draw.Dicom.Core;

namespace Draw.Dicom.IO;

/// <summary>
/// Writes Part 10 files (PS3.10 7.1): 128-byte preamble, "DICM", the meta group with its group length and
/// DRAW's implementation class UID, then the dataset. Files appear atomically: written under a temporary
/// name in the same folder, flushed, then renamed over the target.
/// </summary>
public static class DicomFileWriter
{
    public static void Write(string path, DicomFile file, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(file);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var output = new DicomFileOutput(handle))
                {
                    Write(output, file, options);
                    output.Flush();
                }

                if (options?.FlushToDisk ?? true)
                {
                    RandomAccess.FlushToDisk(handle);
                }
                else if (options is { StartWriteback: true })
                {
                    Writeback.Start(handle);
                }
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Flushes files already written (and closed) to disk. Many files flushed at once cost far less than one
    /// fsync each as they are written: the file system commits concurrent flushes together.
    /// </summary>
    public static async Task FlushToDiskAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(paths, parallel, (path, _) =>
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            RandomAccess.FlushToDisk(handle);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Writes a whole Part 10 file to a stream.</summary>
    public static void Write(Stream output, DicomFile file, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(file);
        options ??= DicomWriteOptions.Default;
        var syntax = ChooseSyntax(file, options);
        var keepMeta = options.KeepFileMetaInformation && file.HasFileMetaInformation && syntax.Uid == file.TransferSyntax.Uid;

        var preamble = keepMeta && file.Preamble is { } p ? p.Span : new byte[128];
        output.Write(preamble);
        output.Write("DICM"u8);
        var meta = keepMeta ? file.FileMetaInformation : BuildMeta(file, syntax, options);
        DicomDatasetWriter.WriteMeta(output, meta);
        DicomDatasetWriter.Write(output, file.Dataset, syntax, options.DeflateLevel);
    }

    /// <summary>A fresh meta group for a dataset (PS3.10 7.1), with the group length computed.</summary>
    public static DicomDataset BuildMeta(DicomFile file, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(syntax);
        var old = file.FileMetaInformation;
        var ds = file.Dataset;
        var meta = new DicomDataset();
        meta.SetBytes(new DicomTag(0x00020001), DicomVR.OB, new byte[] { 0, 1 });
        var sopClass = ds.GetString(new DicomTag(0x00080016)) ?? old.GetString(new DicomTag(0x00020002));
        var sopInstance = ds.GetString(new DicomTag(0x00080018)) ?? old.GetString(new DicomTag(0x00020003));
        if (!string.IsNullOrEmpty(sopClass))
        {
            meta.Add(Uid(0x00020002, sopClass));
        }

        if (!string.IsNullOrEmpty(sopInstance))
        {
            meta.Add(Uid(0x00020003, sopInstance));
        }

        meta.Add(Uid(0x00020010, syntax.Uid));
        meta.Add(Uid(0x00020012, DicomUidGenerator.ImplementationClassUid));
        meta.SetString(new DicomTag(0x00020013), DicomVR.SH, DicomUidGenerator.ImplementationVersionName);
        var aeTitle = options?.SourceApplicationEntityTitle ?? old.GetString(new DicomTag(0x00020016));
        if (!string.IsNullOrEmpty(aeTitle))
        {
            meta.SetString(new DicomTag(0x00020016), DicomVR.AE, aeTitle);
        }

        // Private information from the original meta group travels with the file.
        foreach (var tag in new uint[] { 0x00020100, 0x00020102 })
        {
            if (old.Find(new DicomTag(tag)) is { } e)
            {
                meta.Add(e);
            }
        }

        var length = DicomDatasetWriter.MeasureDataset(meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        var lengthBytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(lengthBytes, (uint)length);
        meta.Add(new DicomElement(new DicomTag(0x00020000), DicomVR.UL, lengthBytes));
        return meta;
    }

    private static DicomElement Uid(uint tag, string uid) =>
        new(new DicomTag(tag), DicomVR.UI, DicomDataset.Pad(Encoding.ASCII.GetBytes(uid.Trim()), DicomVR.UI));

    private static DicomTransferSyntax ChooseSyntax(DicomFile file, DicomWriteOptions options)
    {
        var encapsulated = HasEncapsulatedPixelData(file.Dataset);
        var syntax = options.TransferSyntax
            ?? (options.KeepTransferSyntax || encapsulated ? file.TransferSyntax : DicomTransferSyntax.ExplicitVRLittleEndian);
        if (encapsulated && !syntax.IsEncapsulated)
        {
            throw new InvalidOperationException($"the pixel data is encapsulated ({file.TransferSyntax.Name}); DRAW does not decompress it to write {syntax.Name}");
        }

        if (!encapsulated && syntax.IsEncapsulated && file.Dataset.Contains(new DicomTag(0x7FE00010)))
        {
            throw new InvalidOperationException($"the pixel data is native; DRAW does not compress it to write {syntax.Name}");
        }

        return syntax;
    }

    private static bool HasEncapsulatedPixelData(DicomDataset ds) => ds.Find(new DicomTag(0x7FE00010)) is DicomFragmentSequence;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
