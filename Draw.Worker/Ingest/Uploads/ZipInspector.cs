using System.IO.Compression;
using Draw.Domain.Settings;

namespace Draw.Worker.Ingest.Uploads;

/// <summary>
/// Checks every entry of an uploaded zip before anything is written: the whole upload is refused,
/// with the first reason found, if any entry escapes the folder, is absolute, is a link, is itself
/// an archive, or would expand beyond the limits (a zip bomb).
/// </summary>
internal static class ZipInspector
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;
    private const long RatioCheckFloor = 1024 * 1024;

    private static readonly string[] ArchiveExtensions = [".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst", ".jar"];

    /// <summary>Returns the refusal reason, or null when every entry may be extracted into <paramref name="target"/>.</summary>
    public static string? Refusal(ZipArchive archive, string target, IngestOptions limits)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(limits);
        if (archive.Entries.Count > limits.ZipMaxEntries)
        {
            return $"too many entries ({archive.Entries.Count}; the limit is {limits.ZipMaxEntries})";
        }

        long total = 0;
        var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            if (name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':'))
            {
                return $"entry '{name}' has an absolute path";
            }

            if (name.Replace('\\', '/').Split('/').Any(part => part == ".."))
            {
                return $"entry '{name}' points outside the upload folder (zip-slip)";
            }

            if (!Path.GetFullPath(Path.Combine(target, name)).StartsWith(root, StringComparison.Ordinal))
            {
                return $"entry '{name}' resolves outside the upload folder (zip-slip)";
            }

            if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
            {
                return $"entry '{name}' is a symbolic link";
            }

            if (IsDirectory(entry))
            {
                continue;
            }

            if (ArchiveExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                return $"entry '{name}' is itself an archive (nested archives are not extracted)";
            }

            total += entry.Length;
            if (total > limits.ZipMaxTotalBytes)
            {
                return $"it would expand to more than {limits.ZipMaxTotalBytes} bytes (zip bomb limit)";
            }

            if (entry.Length > RatioCheckFloor && entry.Length / Math.Max(1, entry.CompressedLength) > limits.ZipMaxCompressionRatio)
            {
                return $"entry '{name}' expands {entry.Length / Math.Max(1, entry.CompressedLength)} times (zip bomb; the limit is {limits.ZipMaxCompressionRatio})";
            }
        }

        return null;
    }

    public static bool IsDirectory(ZipArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');
    }

    private static readonly byte[][] ArchiveMagic =
    [
        [0x50, 0x4B, 0x03, 0x04], // zip
        [0x1F, 0x8B], // gzip
        [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], // 7z
        [0x52, 0x61, 0x72, 0x21], // rar
        [0x42, 0x5A, 0x68], // bzip2
        [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], // xz
    ];

    /// <summary>Archives disguised by their name: the first bytes of a zip, gzip, 7z, rar, bzip2 or xz stream.</summary>
    public static bool StartsLikeArchive(ReadOnlySpan<byte> head)
    {
        foreach (var magic in ArchiveMagic)
        {
            if (head.StartsWith(magic))
            {
                return true;
            }
        }

        return false;
    }
}
