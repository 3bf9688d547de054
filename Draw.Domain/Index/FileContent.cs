using System.Security.Cryptography;

namespace Draw.Domain.Index;

/// <summary>Whether two files hold the same bytes (size first, then SHA-256).</summary>
public static class FileContent
{
    public static async Task<bool> SameAsync(string first, string second, CancellationToken cancellationToken)
    {
        if (!File.Exists(first) || !File.Exists(second) || new FileInfo(first).Length != new FileInfo(second).Length)
        {
            return false;
        }

        var firstHash = await HashAsync(first, cancellationToken);
        var secondHash = await HashAsync(second, cancellationToken);
        return firstHash.AsSpan().SequenceEqual(secondHash);
    }

    private static async Task<byte[]> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await SHA256.HashDataAsync(stream, cancellationToken);
    }
}
