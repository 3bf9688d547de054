namespace Draw.Dicom.IO;

/// <summary>A cheap look at a file's first bytes: is it worth parsing as DICOM at all?</summary>
public static class DicomFileProbe
{
    /// <summary>
    /// True for a Part 10 file ("DICM" after the 128-byte preamble) and for a bare dataset that
    /// starts with a group 0002 or 0008 element in little or big endian.
    /// </summary>
    public static bool LooksLikeDicom(string path)
    {
        Span<byte> head = stackalloc byte[HeadLength];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        return LooksLikeDicom(head[..read]);
    }

    /// <summary>How many of a file's first bytes the probe looks at.</summary>
    public const int HeadLength = 132;

    /// <summary>The same test on a file's first bytes (all of them when the file is shorter than <see cref="HeadLength"/>).</summary>
    public static bool LooksLikeDicom(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 132 && head[128] == (byte)'D' && head[129] == (byte)'I' && head[130] == (byte)'C' && head[131] == (byte)'M')
        {
            return true;
        }

        if (head.Length < 8)
        {
            return false;
        }

        var littleGroup = head[0] | (head[1] << 8);
        var bigGroup = (head[0] << 8) | head[1];
        return littleGroup is 0x0002 or 0x0008 || bigGroup is 0x0002 or 0x0008;
    }
}
