using Draw.Dicom.Core;
using Draw.Dicom.IO;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// The temporary Part 10 file of one incoming C-STORE: preamble, "DICM" and a meta group built from the
/// command and the accepted transfer syntax are written first; the data set bytes are then appended as
/// they arrive from the wire, unchanged. The file is hidden (dot prefix) until the handler names it.
/// </summary>
internal sealed class StoreFileSink : IAsyncDisposable
{
    /// <summary>Unique per process (random) and per instance (a counter): no random read from the kernel per instance.</summary>
    private static readonly string s_processTag = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long s_counter;

    private readonly FileStream _file;
    private readonly long _prefixLength;
    private bool _disposed;

    private StoreFileSink(string path, FileStream file, long prefixLength, DicomIncomingInstance instance)
    {
        TemporaryPath = path;
        _file = file;
        _prefixLength = prefixLength;
        Instance = instance;
    }

    public string TemporaryPath { get; }

    public DicomIncomingInstance Instance { get; }

    public Stream Stream => _file;

    public static async Task<StoreFileSink> CreateAsync(string folder, DicomIncomingInstance instance, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, $".incoming-{s_processTag}-{Interlocked.Increment(ref s_counter)}.part");
        var file = CreateFile(folder, path);
        try
        {
            var prefix = BuildPrefix(instance);
            file.Write(prefix);
            instance.TemporaryFile = path;
            return new StoreFileSink(path, file, prefix.Length, instance);
        }
        catch
        {
            await file.DisposeAsync();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>
    /// Synchronous and unbuffered: the pipe's segments go straight to the page cache, one write each, on the
    /// association's own thread (see PduReader.CopyToAsync). No other process has a reason to open a hidden
    /// temporary file, so it is not shared (which also spares the file-system type check a shared lock costs).
    /// The folder is created only when missing: a directory check per instance is a measurable part of its cost.
    /// </summary>
    private static FileStream CreateFile(string folder, string path)
    {
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(folder);
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
        }
    }

    /// <summary>The data set is complete: flush (to disk when asked) and close, so the handler can open the file.</summary>
    public async Task CompleteAsync(bool flushToDisk, CancellationToken cancellationToken)
    {
        Instance.DataSetLength = _file.Position - _prefixLength;
        if (flushToDisk)
        {
            _file.Flush(flushToDisk: true);
        }

        await DisposeAsync();
    }

    public void Delete() => TryDelete(TemporaryPath);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _file.DisposeAsync();
    }

    private static byte[] BuildPrefix(DicomIncomingInstance instance)
    {
        var known = new DicomDataset();
        known.SetString(new DicomTag(0x00020002), DicomVR.UI, instance.SopClassUid);
        known.SetString(new DicomTag(0x00020003), DicomVR.UI, instance.SopInstanceUid);
        var meta = DicomFileWriter.BuildMeta(
            new DicomFile(new DicomDataset(), instance.TransferSyntax, known),
            instance.TransferSyntax,
            new DicomWriteOptions { SourceApplicationEntityTitle = instance.CallingAeTitle });
        using var prefix = new MemoryStream(512);
        prefix.Write(new byte[128]);
        prefix.Write("DICM"u8);
        DicomDatasetWriter.WriteMeta(prefix, meta);
        return prefix.ToArray();
    }

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
