using System.Net.Sockets;

namespace Draw.Dicom.Network.Transport;

/// <summary>
/// A stream over a connected socket whose reads and writes block the calling thread, even through the async
/// methods (they return completed tasks). An association runs on its own thread (<see cref="AssociationThread"/>),
/// so a blocking receive costs one kernel wake-up when the peer's bytes arrive; the socket engine's route
/// (epoll thread, then a thread-pool hand-off for every read that has to wait) costs several per DIMSE exchange,
/// which is most of an instance's cost on a small machine. Cancellation shuts the socket's receive side down,
/// which wakes a blocked receive at once; sends can still go out afterwards (an A-ABORT, say).
/// </summary>
internal sealed class BlockingSocketStream : Stream
{
    private readonly Socket _socket;
    private int _disposed;

    public BlockingSocketStream(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = true;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Receive(buffer, default);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return new ValueTask<int>(Receive(buffer.Span, cancellationToken));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<int>(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => Send(buffer, default);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            Send(buffer.Span, cancellationToken);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private int Receive(Span<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var wake = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => Shutdown((Socket)s!, SocketShutdown.Receive), _socket) : default;
        try
        {
            var n = _socket.Receive(buffer, SocketFlags.None);
            cancellationToken.ThrowIfCancellationRequested();
            return n;
        }
        catch (SocketException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the receive was cancelled", ex, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new IOException("connection lost: " + ex.Message, ex);
        }
    }

    /// <summary>A send blocks while the peer's window is full; cancelling it shuts the connection down (the association is lost anyway).</summary>
    private void Send(ReadOnlySpan<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var wake = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => Shutdown((Socket)s!, SocketShutdown.Both), _socket) : default;
        try
        {
            while (buffer.Length > 0)
            {
                var n = _socket.Send(buffer, SocketFlags.None);
                buffer = buffer[n..];
            }
        }
        catch (SocketException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the send was cancelled", ex, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new IOException("connection lost: " + ex.Message, ex);
        }
    }

    private static void Shutdown(Socket socket, SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
