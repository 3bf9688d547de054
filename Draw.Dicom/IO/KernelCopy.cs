using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Draw.Dicom.IO;

/// <summary>
/// Copies a byte range from one open file to another. On Linux the kernel moves the bytes (copy_file_range):
/// no trip through user space, one call for a whole pixel data element instead of a read and a write per
/// 64 KB. Where the kernel cannot (another OS, two file systems, a file system without support) a pooled
/// buffer copies them, so callers never need to know which one ran.
/// </summary>
internal static partial class KernelCopy
{
    private const int BufferSize = 1 << 16;

    // errno values that mean "not here, copy it yourself" rather than an I/O failure.
    private const int EXDEV = 18;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;
    private const int EOPNOTSUPP = 95;

    // Cleared for good when the kernel has no copy_file_range at all (ENOSYS): no point asking again.
    private static volatile bool s_kernelAvailable = OperatingSystem.IsLinux();

    /// <summary>Copies <paramref name="length"/> bytes from <paramref name="source"/> at <paramref name="sourceOffset"/>
    /// to <paramref name="destination"/> at <paramref name="destinationOffset"/>. File positions are not used or moved.</summary>
    /// <exception cref="IOException">The source ends before the range does, or the copy failed.</exception>
    public static void Copy(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long length) =>
        Copy(source, sourceOffset, destination, destinationOffset, length, allowKernel: true);

    /// <summary>As <see cref="Copy(SafeFileHandle, long, SafeFileHandle, long, long)"/>; <paramref name="allowKernel"/>
    /// false forces the buffered copy (tests compare both). Returns true when the kernel copied every byte.</summary>
    internal static bool Copy(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long length, bool allowKernel)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(destinationOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var done = allowKernel && s_kernelAvailable ? CopyInKernel(source, sourceOffset, destination, destinationOffset, length) : 0;
        if (done < length)
        {
            CopyBuffered(source, sourceOffset + done, destination, destinationOffset + done, length - done);
            return false;
        }

        return true;
    }

    /// <summary>Bytes the kernel copied; fewer than <paramref name="length"/> when it declined part way (the caller copies the rest).</summary>
    private static long CopyInKernel(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long length)
    {
        long done = 0;
        while (done < length)
        {
            var inOffset = sourceOffset + done;
            var outOffset = destinationOffset + done;
            // Ask for at most 1 GB at a time: the kernel caps a call anyway and the count must fit a size_t on any platform.
            var n = CopyFileRange(source, ref inOffset, destination, ref outOffset, (nuint)Math.Min(length - done, 1L << 30), 0);
            if (n > 0)
            {
                done += n;
                continue;
            }

            if (n == 0)
            {
                throw new IOException("the file is shorter than when it was read (bulk data range past its end)");
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case ENOSYS:
                    s_kernelAvailable = false;
                    return done;
                case EXDEV or EINVAL or EOPNOTSUPP:
                    return done;
                default:
                    throw new IOException($"copy_file_range failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
            }
        }

        return done;
    }

    internal static void CopyBuffered(SafeFileHandle source, long sourceOffset, SafeFileHandle destination, long destinationOffset, long length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, Math.Max(length, 1)));
        try
        {
            long done = 0;
            while (done < length)
            {
                var n = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), sourceOffset + done);
                if (n <= 0)
                {
                    throw new IOException("the file is shorter than when it was read (bulk data range past its end)");
                }

                RandomAccess.Write(destination, buffer.AsSpan(0, n), destinationOffset + done);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle fdIn, ref long offIn, SafeFileHandle fdOut, ref long offOut, nuint length, uint flags);
}
