using System.Security.Cryptography;
using System.Text.Json;
using Draw.Domain.Segmentation;

namespace Draw.Worker.Backends.DrawApi;

/// <summary>
/// A small file beside a verified download (<c>&lt;file&gt;.draw-receipt</c>: task id, SHA-256, size).
/// A download asked for again, for the same task and destination, whose file still matches its
/// receipt, is answered from disk without a request: a crash between the download and the
/// pipeline recording it, or a retried confirmation, never fetches the RTSTRUCT twice. Deleting
/// the file (as the pipeline does with an invalid one) makes the next download real again.
/// </summary>
internal static class DownloadReceipt
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathOf(string destination) => destination + ".draw-receipt";

    public static async Task<BackendDownload?> TryReuseAsync(string destination, string taskId, CancellationToken cancellationToken)
    {
        var receiptPath = PathOf(destination);
        if (!File.Exists(destination) || !File.Exists(receiptPath))
        {
            return null;
        }

        Receipt? receipt;
        try
        {
            await using var stream = File.OpenRead(receiptPath);
            receipt = await JsonSerializer.DeserializeAsync<Receipt>(stream, Json, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }

        if (receipt is null || !string.Equals(receipt.TaskId, taskId, StringComparison.Ordinal) || new FileInfo(destination).Length != receipt.Bytes)
        {
            return null;
        }

        string actual;
        await using (var file = new FileStream(destination, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }

        return string.Equals(actual, receipt.Sha256, StringComparison.OrdinalIgnoreCase) ? new BackendDownload(destination, actual, receipt.Bytes) : null;
    }

    public static async Task WriteAsync(BackendDownload download, string taskId, CancellationToken cancellationToken)
    {
        var path = PathOf(download.Path);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, new Receipt(taskId, download.Sha256, download.Bytes), Json, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private sealed record Receipt(string TaskId, string Sha256, long Bytes);
}
