using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Draw.Dicom.IO;

/// <summary>
/// Starts writing a file's dirty pages to disk without waiting (Linux sync_file_range with
/// SYNC_FILE_RANGE_WRITE). A batch whose files are flushed together at its end then finds their data already
/// on its way to the disk, written while the next files were processed, instead of all of it starting at
/// the flush. Only a hint: the fsync that follows is what makes the data durable, so failures are ignored.
/// </summary>
internal static partial class Writeback
{
    private const uint SyncFileRangeWrite = 2;

    private static volatile bool s_available = OperatingSystem.IsLinux();

    public static void Start(SafeFileHandle handle)
    {
        if (!s_available)
        {
            return;
        }

        try
        {
            _ = SyncFileRange(handle, 0, 0, SyncFileRangeWrite);
        }
        catch (EntryPointNotFoundException)
        {
            s_available = false;
        }
        catch (DllNotFoundException)
        {
            s_available = false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
