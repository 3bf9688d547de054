using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// One established WebSocket connection to the hub, after a successful handshake: the receive loop, keep-alive
/// (ping when idle, timeout when the server is silent), serialized sends and the invocations awaiting completion.
/// It ends once (<see cref="Completion"/>); a reconnect creates a new session.
/// </summary>
internal sealed class HubSession : IAsyncDisposable
{
    private const int MinimumReadSize = 8 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly LiveHubClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<HubSession, InvocationMessage> _onInvocation;
    private readonly RecordBuffer _buffer = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<SessionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSent;
    private long _lastReceived;
    private volatile bool _closingByClient;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;

    private HubSession(
        ClientWebSocket socket,
        string? connectionId,
        LiveHubClientOptions options,
        ILogger logger,
        Action<HubSession, InvocationMessage> onInvocation)
    {
        _socket = socket;
        ConnectionId = connectionId;
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
        _onInvocation = onInvocation;
        _lastSent = _lastReceived = _time.GetTimestamp();
    }

    /// <summary>The server's connection id (what other parties know this client by).</summary>
    public string? ConnectionId { get; }

    /// <summary>Invocations sent on this connection that await a Completion.</summary>
    public PendingInvocations Pending { get; } = new();

    /// <summary>Completes once, when the connection ended, with the reason.</summary>
    public Task<SessionEnd> Completion => _ended.Task;

    /// <summary>Opens the WebSocket, performs the protocol handshake and starts the receive and keep-alive loops.</summary>
    public static async Task<HubSession> ConnectAsync(
        NegotiationResult negotiation,
        HttpMessageInvoker invoker,
        LiveHubClientOptions options,
        ILogger logger,
        Action<HubSession, InvocationMessage> onInvocation,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        HubSession? session = null;
        try
        {
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.KeepAliveInterval = TimeSpan.Zero; // the hub protocol's own pings keep the connection alive
            foreach (var (name, value) in options.Headers)
            {
                socket.Options.SetRequestHeader(name, value);
            }

            if (negotiation.AccessToken is not null)
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + negotiation.AccessToken);
            }

            var url = HubUrls.WebSocket(negotiation.Url, negotiation.ConnectionToken);
            try
            {
                await socket.ConnectAsync(url, invoker, cancellationToken);
            }
            catch (WebSocketException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var status = socket.HttpStatusCode == 0 ? (HttpStatusCode?)null : socket.HttpStatusCode;
                throw new HubConnectionException(
                    $"The WebSocket connection to the hub at {HubUrls.ForDisplay(negotiation.Url)} failed" +
                    (status is null ? $": {ex.Message}" : $": {(int)status} {status}."),
                    ex,
                    status);
            }

            session = new HubSession(socket, negotiation.ConnectionId, options, logger, onInvocation);
            await session.HandshakeAsync(cancellationToken);
            session._receiveLoop = Task.Run(session.ReceiveLoopAsync, CancellationToken.None);
            session._keepAliveLoop = Task.Run(session.KeepAliveLoopAsync, CancellationToken.None);
            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Sends one complete record (or several) as a text message. A failure ends the session.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            Volatile.Write(ref _lastSent, _time.GetTimestamp());
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException
                                   || (ex is OperationCanceledException && _socket.State == WebSocketState.Aborted))
        {
            // A send cancelled mid-frame aborts the socket: the connection is gone either way.
            var lost = new HubConnectionException("The connection to the hub was lost while sending.", ex);
            End(lost, allowReconnect: true);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw lost;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes the WebSocket gracefully (bounded by <see cref="LiveHubClientOptions.CloseTimeout"/>), then ends the session.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _closingByClient = true;
        using var timeout = new CancellationTokenSource(_options.CloseTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _sendLock.WaitAsync(linked.Token);
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, linked.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            // The receive loop ends when the server answers with its close frame.
            await _ended.Task.WaitAsync(linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            HubClientLog.CloseNotGraceful(_logger, ex);
        }

        End(null, allowReconnect: false);
    }

    /// <summary>Ends the session at once (no close handshake).</summary>
    public void Abort(Exception? error) => End(error, allowReconnect: true);

    public async ValueTask DisposeAsync()
    {
        End(new HubConnectionException("The connection to the hub was closed."), allowReconnect: false);
        await _receiveLoop;
        await _keepAliveLoop;
        _socket.Dispose();
        _buffer.Dispose();
        _stop.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await SendAsync(JsonHubProtocol.HandshakeRequest, cancellationToken);
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.GetWriteMemory(MinimumReadSize), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new HubConnectionException(
                    $"The hub closed the WebSocket during the handshake ({_socket.CloseStatus} {_socket.CloseStatusDescription}).");
            }

            _buffer.Advance(result.Count);
            Volatile.Write(ref _lastReceived, _time.GetTimestamp());
            if (_buffer.TryReadRecord(out var record))
            {
                string? error;
                try
                {
                    error = JsonHubProtocol.ParseHandshakeResponse(record);
                }
                catch (InvalidDataException ex)
                {
                    throw new HubConnectionException("The hub sent an invalid handshake response.", ex);
                }

                if (error is not null)
                {
                    throw new HubConnectionException($"The hub rejected the protocol handshake: {error}");
                }

                return; // records after the handshake stay buffered for the receive loop
            }

            if (_buffer.PendingBytes > MinimumReadSize * 4)
            {
                throw new HubConnectionException("The hub sent an oversized handshake response.");
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var cancellationToken = _stop.Token;
        try
        {
            if (ProcessBufferedRecords())
            {
                return;
            }

            while (true)
            {
                var result = await _socket.ReceiveAsync(_buffer.GetWriteMemory(MinimumReadSize), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    End(
                        _closingByClient
                            ? null
                            : new HubConnectionException(
                                $"The hub closed the WebSocket ({_socket.CloseStatus} {_socket.CloseStatusDescription})."),
                        allowReconnect: !_closingByClient);
                    return;
                }

                _buffer.Advance(result.Count);
                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                if (ProcessBufferedRecords())
                {
                    return;
                }

                if (_buffer.PendingBytes > _options.MaximumReceiveMessageSize)
                {
                    End(
                        new HubConnectionException(
                            $"The hub sent a message larger than {_options.MaximumReceiveMessageSize} bytes."),
                        allowReconnect: true);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ended by End(): the reason is already recorded.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidDataException
                                       or OperationCanceledException)
        {
            End(
                _closingByClient ? null : new HubConnectionException("The connection to the hub was lost.", ex),
                allowReconnect: !_closingByClient);
        }
    }

    /// <summary>Handles every complete record in the buffer; true when the server sent Close.</summary>
    private bool ProcessBufferedRecords()
    {
        while (_buffer.TryReadRecord(out var record))
        {
            switch (JsonHubProtocol.Parse(record))
            {
                case InvocationMessage invocation:
                    HubClientLog.ReceivedInvocation(_logger, invocation.Target, invocation.Arguments.Length, invocation.Size);
                    _onInvocation(this, invocation);
                    break;
                case CompletionMessage completion:
                    HubClientLog.ReceivedCompletion(_logger, completion.InvocationId, completion.Error is not null);
                    if (!Pending.TryComplete(completion))
                    {
                        HubClientLog.UnknownCompletion(_logger, completion.InvocationId);
                    }

                    break;
                case PingMessage:
                    break;
                case CloseMessage close:
                    HubClientLog.ServerClosed(_logger, close.Error, close.AllowReconnect);
                    End(
                        close.Error is null ? null : new HubConnectionException($"The hub closed the connection: {close.Error}"),
                        close.AllowReconnect);
                    return true;
                case IgnoredMessage ignored:
                    HubClientLog.IgnoredMessage(_logger, ignored.Type);
                    break;
            }
        }

        return false;
    }

    private async Task KeepAliveLoopAsync()
    {
        var cancellationToken = _stop.Token;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = _time.GetTimestamp();
                var silent = _time.GetElapsedTime(Volatile.Read(ref _lastReceived), now);
                if (silent >= _options.ServerTimeout)
                {
                    HubClientLog.ServerTimedOut(_logger, silent);
                    End(
                        new HubConnectionException(
                            $"Nothing was received from the hub for {_options.ServerTimeout.TotalSeconds:0.###} s (server timeout).",
                            new TimeoutException()),
                        allowReconnect: true);
                    return;
                }

                var idle = _time.GetElapsedTime(Volatile.Read(ref _lastSent), now);
                if (idle >= _options.KeepAliveInterval)
                {
                    await SendAsync(JsonHubProtocol.Ping, cancellationToken);
                    HubClientLog.PingSent(_logger);
                    idle = TimeSpan.Zero;
                }

                var wait = Min(_options.KeepAliveInterval - idle, _options.ServerTimeout - silent);
                await Task.Delay(Max(wait, TimeSpan.FromMilliseconds(1)), _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (HubConnectionException)
        {
            // The failed ping already ended the session.
        }
    }

    private void End(Exception? error, bool allowReconnect)
    {
        if (!_ended.TrySetResult(new SessionEnd(error, allowReconnect)))
        {
            return;
        }

        Pending.FailAll(error);
        _stop.Cancel();
        _socket.Abort();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
