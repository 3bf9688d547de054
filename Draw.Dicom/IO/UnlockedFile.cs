using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Draw.Dicom.IO;

/// <summary>
/// Opens a file for reading with as few system calls as a header read needs. A FileStream on Linux makes seven:
/// open, fstat, flock (.NET emulates FileShare with advisory locks), pread, fstat, flock to unlock, close. A reader
/// that only reads, and that no writer waits for, needs open, pread and close, plus one fstat for the length and
/// one lseek the runtime makes to see that the file can seek. Elsewhere than Linux, or when the open fails, a
/// FileStream opens it, so errors read as they always did.
/// </summary>
internal static partial class UnlockedFile
{
    /// <summary>O_RDONLY | O_CLOEXEC on Linux.</summary>
    private const int ReadOnlyCloseOnExec = 0x80000;

    public static Stream OpenRead(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var descriptor = Open(path, ReadOnlyCloseOnExec);
            if (descriptor >= 0)
            {
                return new HandleReadStream(new SafeFileHandle(descriptor, ownsHandle: true));
            }
        }

        // No FileStream buffer: DicomInput has its own pooled one.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    /// <summary>A read-only, seekable stream over a file handle: positioned reads (pread), the length asked once.</summary>
    private sealed class HandleReadStream(SafeFileHandle handle) : OwnedHandleReadStream(handle)
    {
        private long _position;
        private long _length = -1;

        public override bool CanSeek => true;

        public override long Length => _length >= 0 ? _length : _length = RandomAccess.GetLength(Handle);

        public override long Position
        {
            get => _position;
            set
            {
                ArgumentOutOfRangeException.ThrowIfNegative(value);
                _position = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = RandomAccess.Read(Handle, buffer, _position);
            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
    }
}
