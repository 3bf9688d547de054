using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// A DICOM SCP: C-ECHO and C-STORE for every storage SOP class. Listens on one address and port, serves up
/// to <see cref="DicomServerOptions.MaxAssociations"/> associations at once (one thread each, see Transport/AssociationThread), and reports
/// association and instance events. Dispose to stop: open associations are aborted and awaited.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly IDicomStoreHandler _storeHandler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _associations = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextAssociationId;
    private int _active;

    public DicomServer(DicomServerOptions options, IDicomStoreHandler storeHandler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storeHandler);
        options.Validate();
        _options = options;
        _storeHandler = storeHandler;
        _logger = logger ?? NullLogger.Instance;
    }

    public event EventHandler<DicomAssociationAcceptedEventArgs>? AssociationAccepted;

    public event EventHandler<DicomAssociationRejectedEventArgs>? AssociationRejected;

    public event EventHandler<DicomAssociationClosedEventArgs>? AssociationClosed;

    public event EventHandler<DicomInstanceStoredEventArgs>? InstanceStored;

    public DicomServerOptions Options => _options;

    /// <summary>The port actually bound (useful when the options asked for 0).</summary>
    public int Port { get; private set; }

    /// <summary>Associations being served right now.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Starts a server that keeps every instance in <paramref name="folder"/> (for benchmarks, tests and `draw listen`).</summary>
    public static Task<DicomServer> StartFolderSinkAsync(string folder, int port = 0, string aeTitle = "DRAW", ILogger? logger = null, CancellationToken cancellationToken = default) =>
        StartFolderSinkAsync(folder, new DicomServerOptions { AeTitle = aeTitle, Port = port }, logger, cancellationToken);

    /// <summary>As above, with every server option given (e.g. <see cref="DicomServerOptions.FlushToDisk"/> off).</summary>
    public static async Task<DicomServer> StartFolderSinkAsync(string folder, DicomServerOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var server = new DicomServer(options, new FolderStoreHandler(folder), logger);
        await server.StartAsync(cancellationToken);
        return server;
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the server is already started");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var listener = new Socket(_options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(_options.BindAddress, _options.Port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        var local = (IPEndPoint)listener.LocalEndPoint!;
        Port = local.Port;
        DicomServerLog.Listening(_logger, _options.AeTitle, local);
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (SocketException ex)
            {
                DicomServerLog.AcceptLoopFailed(_logger, ex, _options.AeTitle);
                return;
            }

            var id = Interlocked.Increment(ref _nextAssociationId);
            var overLimit = Interlocked.Increment(ref _active) > _options.MaxAssociations;
            var session = new DicomServerAssociation(id, socket, overLimit, _options, _storeHandler, _logger, this);
            var task = Transport.AssociationThread.Start($"DICOM association {id}", () => RunSessionAsync(session, stopping));
            _associations[id] = task;
            // Removed once it has ended, which may already be the case: the continuation runs after the add either way.
            _ = task.ContinueWith(_ => _associations.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunSessionAsync(DicomServerAssociation session, CancellationToken stopping)
    {
        try
        {
            await session.RunAsync(stopping);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    internal void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the association that reported it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DicomServerLog.EventHandlerFailed(_logger, ex);
        }
    }

    internal void OnAccepted(DicomAssociationAcceptedEventArgs e) => Raise(AssociationAccepted, e);

    internal void OnRejected(DicomAssociationRejectedEventArgs e) => Raise(AssociationRejected, e);

    internal void OnClosed(DicomAssociationClosedEventArgs e) => Raise(AssociationClosed, e);

    internal void OnInstanceStored(DicomInstanceStoredEventArgs e) => Raise(InstanceStored, e);

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        await Task.WhenAll(_associations.Values);
        _stopping.Dispose();
        if (_listener is not null)
        {
            DicomServerLog.Stopped(_logger, _options.AeTitle);
        }
    }
}
