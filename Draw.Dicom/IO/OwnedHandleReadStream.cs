using Microsoft.Win32.SafeHandles;

namespace Draw.Dicom.IO;

/// <summary>
/// What every read-only stream over a file handle it owns shares: nothing to write or flush, and the handle closed
/// with the stream. Subclasses decide how reads and positions work.
/// </summary>
internal abstract class OwnedHandleReadStream(SafeFileHandle handle) : Stream
{
    protected SafeFileHandle Handle { get; } = handle;

    public override bool CanRead => true;

    public override bool CanWrite => false;

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
