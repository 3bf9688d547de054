using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draw.Worker.Live.HubClient;

/// <summary>
/// A client of an ASP.NET Core SignalR hub over WebSockets with the JSON hub protocol: negotiate, handshake,
/// invocations both ways, keep-alive, and automatic reconnect with backoff. Handlers registered with
/// <see cref="On(string, Func{JsonElement[], Task})"/> run one at a time, in arrival order, off the receive loop.
/// </summary>
public sealed partial class LiveHubClient : IAsyncDisposable
{
    private readonly LiveHubClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _http;
    private readonly NegotiateClient _negotiator;
    private readonly ReconnectBackoff _backoff;
    private readonly HandlerRegistry _handlers = new();
    private readonly AsyncLocal<bool> _inHandler = new();
    private readonly Lock _sync = new();
    private HubConnectionState _state;
    private HubSession? _session;
    private ConnectionRun? _run;
    private int _disposed;

    /// <param name="options">Validated here; later changes to the instance are not supported.</param>
    /// <param name="logger">Optional; payloads are never logged.</param>
    public LiveHubClient(LiveHubClientOptions options, ILogger<LiveHubClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _http = new HttpMessageInvoker(
            options.HttpMessageHandlerFactory?.Invoke() ?? new SocketsHttpHandler(),
            disposeHandler: true);
        _negotiator = new NegotiateClient(_http, options, _logger);
        _backoff = ReconnectBackoff.FromOptions(options);
    }

    /// <summary>Raised when a lost connection starts being re-established, with the reason.</summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>Raised when the connection was re-established, with the new connection id.</summary>
    public event Func<string?, Task>? Reconnected;

    /// <summary>
    /// Raised when the client is closed for good: by <see cref="StopAsync"/> (null), or with the reason when the hub
    /// closed without allowing reconnect, authentication failed, or reconnect attempts ran out.
    /// </summary>
    public event Func<Exception?, Task>? Closed;

    public HubConnectionState State
    {
        get
        {
            lock (_sync)
            {
                return _state;
            }
        }
    }

    /// <summary>The server's id of the current connection, or null when not connected.</summary>
    public string? ConnectionId
    {
        get
        {
            lock (_sync)
            {
                return _session?.ConnectionId;
            }
        }
    }

    /// <summary>Connects once; throws (e.g. <see cref="HubConnectionException"/>) when the hub is unreachable or refuses.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartCoreAsync(retry: false, cancellationToken);

    /// <summary>
    /// Connects, retrying with the reconnect backoff while the hub is not reachable yet (the worker often starts
    /// before the web). Completes when connected; throws on authentication failure (401/403), when
    /// <see cref="LiveHubClientOptions.MaxReconnectAttempts"/> ran out, or when cancelled or stopped.
    /// </summary>
    public Task StartWithRetryAsync(CancellationToken cancellationToken = default) => StartCoreAsync(retry: true, cancellationToken);

    /// <summary>
    /// Closes the connection gracefully and stops reconnecting; pending invocations fail. Waits for queued handlers
    /// to finish (unless called from a handler). Safe to call in any state and more than once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        ConnectionRun? run;
        HubSession? session;
        lock (_sync)
        {
            run = _run;
            session = _session;
            if (run is null)
            {
                return;
            }

            run.StopRequested = true;
        }

        HubClientLog.Stopping(_logger);
        if (session is not null)
        {
            await session.CloseAsync(cancellationToken);
        }

        await run.Lifetime.CancelAsync();
        await run.RunTask.WaitAsync(cancellationToken);
        if (!_inHandler.Value)
        {
            await run.DispatchTask.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _http.Dispose();
    }

    /// <summary>Invokes a hub method without waiting for it to run (no invocation id, no result).</summary>
    /// <exception cref="HubConnectionException">Not connected, or the connection failed while sending.</exception>
    public async Task SendAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(args);
        var session = GetConnectedSession(methodName);
        var payload = JsonHubProtocol.WriteInvocation(null, methodName, args, _options.SerializerOptions);
        await session.SendAsync(payload, cancellationToken);
        HubClientLog.SentInvocation(_logger, methodName, payload.Length, null);
    }

    /// <summary>Invokes a hub method that takes no arguments, without waiting for it to run.</summary>
    public Task SendAsync(string methodName, CancellationToken cancellationToken = default) =>
        SendAsync(methodName, [], cancellationToken);

    /// <summary>Invokes a hub method and returns its result, deserialized to <typeparamref name="T"/>.</summary>
    /// <exception cref="HubInvocationException">The hub method failed (the server's error message).</exception>
    /// <exception cref="HubConnectionException">Not connected, or the connection dropped before the result arrived.</exception>
    public async Task<T?> InvokeAsync<T>(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var result = await InvokeCoreAsync(methodName, args, cancellationToken);
        if (result is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return default;
        }

        return typeof(T) == typeof(JsonElement)
            ? (T)(object)element
            : element.Deserialize<T>(_options.SerializerOptions);
    }

    /// <summary>Invokes a hub method and waits until it completed (its result, if any, is discarded).</summary>
    public Task InvokeAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        InvokeCoreAsync(methodName, args, cancellationToken);

    private async Task<JsonElement?> InvokeCoreAsync(string methodName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(args);
        var session = GetConnectedSession(methodName);
        var (invocationId, result) = session.Pending.Register(methodName);
        try
        {
            var payload = JsonHubProtocol.WriteInvocation(invocationId, methodName, args, _options.SerializerOptions);
            await session.SendAsync(payload, cancellationToken);
            HubClientLog.SentInvocation(_logger, methodName, payload.Length, invocationId);
        }
        catch
        {
            Forget(session, invocationId, result);
            throw;
        }

        try
        {
            return await result.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !result.IsCompleted)
        {
            Forget(session, invocationId, result);
            await TrySendAsync(session, JsonHubProtocol.WriteCancelInvocation(invocationId));
            throw;
        }
    }

    /// <summary>Drops an invocation nobody awaits any more; a failure it may already carry is observed, not leaked.</summary>
    private static void Forget(HubSession session, string invocationId, Task<JsonElement?> result)
    {
        session.Pending.Remove(invocationId);
        if (result.IsFaulted)
        {
            _ = result.Exception;
        }
    }

    private HubSession GetConnectedSession(string methodName)
    {
        HubConnectionState state;
        lock (_sync)
        {
            if (_state == HubConnectionState.Connected && _session is { } session)
            {
                return session;
            }

            state = _state;
        }

        throw new HubConnectionException($"Cannot invoke '{methodName}': the hub connection is {state}, not Connected.");
    }

    private async Task StartCoreAsync(bool retry, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ConnectionRun run;
        lock (_sync)
        {
            if (_state != HubConnectionState.Disconnected)
            {
                throw new InvalidOperationException(
                    $"The hub client can only be started when Disconnected (it is {_state}).");
            }

            run = new ConnectionRun();
            _run = run;
            _state = HubConnectionState.Connecting;
            run.DispatchTask = Task.Run(() => DispatchLoopAsync(run), CancellationToken.None);
            run.RunTask = Task.Run(() => RunAsync(run, retry), CancellationToken.None);
        }

        using (cancellationToken.Register(() => CancelStartup(run)))
        {
            try
            {
                await run.FirstConnect.Task;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Starting the hub connection was cancelled.", null, cancellationToken);
            }
        }
    }

    private void CancelStartup(ConnectionRun run)
    {
        lock (_sync)
        {
            if (run.EverConnected)
            {
                return;
            }

            run.StartCancelled = true;
        }

        run.Lifetime.Cancel();
    }

    /// <summary>The life of one run: first connect, then watch the connection and reconnect until stopped or closed.</summary>
    private async Task RunAsync(ConnectionRun run, bool retryInitialConnect)
    {
        var token = run.Lifetime.Token;
        HubSession session;
        try
        {
            session = retryInitialConnect
                ? (await ConnectWithRetryAsync(run, token)).Session
                : await EstablishAsync(run, token);
        }
        catch (Exception ex)
        {
            Finish(run, ex, raiseClosed: false);
            if (token.IsCancellationRequested)
            {
                run.FirstConnect.TrySetCanceled(token);
            }
            else
            {
                run.FirstConnect.TrySetException(ex);
            }

            return;
        }

        if (!await TrySetConnectedAsync(run, session))
        {
            Finish(run, null, raiseClosed: false);
            run.FirstConnect.TrySetCanceled(token);
            return;
        }

        HubClientLog.Connected(_logger, HubUrls.ForDisplay(_options.Url!), session.ConnectionId);
        run.FirstConnect.TrySetResult();

        try
        {
            while (true)
            {
                var end = await session.Completion;
                await session.DisposeAsync();

                bool stopping;
                var reconnect = _options.AutoReconnect && end.AllowReconnect;
                lock (_sync)
                {
                    stopping = run.StopRequested || token.IsCancellationRequested;
                    if (!stopping && reconnect)
                    {
                        _state = HubConnectionState.Reconnecting;
                        _session = null;
                    }
                }

                if (stopping || !reconnect)
                {
                    Finish(run, stopping ? null : end.Error, raiseClosed: true);
                    return;
                }

                HubClientLog.ConnectionLost(_logger, end.Error);
                Raise(run, Reconnecting, end.Error, nameof(Reconnecting));

                int attempts;
                try
                {
                    (session, attempts) = await ConnectWithRetryAsync(run, token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    Finish(run, null, raiseClosed: true);
                    return;
                }
                catch (Exception ex)
                {
                    Finish(run, ex, raiseClosed: true);
                    return;
                }

                if (!await TrySetConnectedAsync(run, session))
                {
                    Finish(run, null, raiseClosed: true);
                    return;
                }

                HubClientLog.Reconnected(_logger, session.ConnectionId, attempts);
                Raise(run, Reconnected, session.ConnectionId, nameof(Reconnected));
            }
        }
        catch (Exception ex)
        {
            // Not expected: every step above handles its own failures. Close rather than leave the run hanging.
            Finish(run, ex, raiseClosed: true);
        }
    }

    private async Task<(HubSession Session, int Attempts)> ConnectWithRetryAsync(ConnectionRun run, CancellationToken cancellationToken)
    {
        Exception? lastError = null;
        var delay = _backoff.GetDelay(0);
        for (var attempt = 1; ; attempt++)
        {
            if (delay is not { } wait)
            {
                throw new HubConnectionException($"Gave up connecting to the hub after {attempt - 1} attempt(s).", lastError);
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }

            try
            {
                return (await EstablishAsync(run, cancellationToken), attempt);
            }
            catch (HubConnectionException ex) when (ex.IsAuthenticationFailure)
            {
                HubClientLog.AuthenticationFailed(_logger, ex);
                throw;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = ex;
                delay = _backoff.GetDelay(attempt);
                // Expected while the dashboard starts: the reason, not a stack trace.
                HubClientLog.ConnectAttemptFailed(_logger, attempt, ex.Message, delay ?? TimeSpan.Zero);
            }
        }
    }

    /// <summary>One connection attempt: negotiate, WebSocket upgrade and handshake, bounded by the handshake timeout.</summary>
    private async Task<HubSession> EstablishAsync(ConnectionRun run, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var negotiation = await _negotiator.NegotiateAsync(linked.Token);
            return await HubSession.ConnectAsync(
                negotiation,
                _http,
                _options,
                _logger,
                (session, invocation) => run.Dispatch.Writer.TryWrite(() => DispatchAsync(session, invocation)),
                linked.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HubConnectionException(
                $"Connecting to the hub at {HubUrls.ForDisplay(_options.Url!)} timed out after {_options.HandshakeTimeout.TotalSeconds:0.###} s.",
                new TimeoutException(ex.Message, ex));
        }
    }

    /// <summary>Publishes a new session, unless the run was stopped meanwhile (then the session is disposed).</summary>
    private async Task<bool> TrySetConnectedAsync(ConnectionRun run, HubSession session)
    {
        lock (_sync)
        {
            if (!run.StopRequested && !run.StartCancelled && !run.Lifetime.IsCancellationRequested)
            {
                _session = session;
                _state = HubConnectionState.Connected;
                run.EverConnected = true;
                return true;
            }
        }

        await session.DisposeAsync();
        return false;
    }

    /// <summary>Final cleanup of a run (once): state Disconnected, no more dispatching, Closed raised.</summary>
    private void Finish(ConnectionRun run, Exception? error, bool raiseClosed)
    {
        if (!run.TryMarkFinished())
        {
            return;
        }

        lock (_sync)
        {
            if (ReferenceEquals(_run, run))
            {
                _state = HubConnectionState.Disconnected;
                _session = null;
            }
        }

        if (raiseClosed)
        {
            HubClientLog.Closed(_logger, error);
            Raise(run, Closed, error, nameof(Closed));
        }

        run.Dispatch.Writer.TryComplete();
    }

    private async Task DispatchLoopAsync(ConnectionRun run)
    {
        _inHandler.Value = true;
        await foreach (var work in run.Dispatch.Reader.ReadAllAsync(CancellationToken.None))
        {
            await work();
        }
    }

    private async Task DispatchAsync(HubSession session, InvocationMessage invocation)
    {
        var handlers = _handlers.Get(invocation.Target);
        string? error = null;
        if (handlers.Count == 0)
        {
            HubClientLog.NoHandler(_logger, invocation.Target);
            error = $"The client has no handler for '{invocation.Target}'.";
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler(invocation.Arguments);
            }
#pragma warning disable CA1031 // A failing handler must not stop the dispatch of later messages.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                HubClientLog.HandlerFailed(_logger, ex, invocation.Target);
                error ??= $"The client handler for '{invocation.Target}' failed.";
            }
        }

        if (invocation.InvocationId is { } invocationId)
        {
            // The server awaits a result (client results): answer so it does not wait for its timeout.
            await TrySendAsync(session, JsonHubProtocol.WriteCompletion(invocationId, error));
        }
    }

    private static async Task TrySendAsync(HubSession session, ReadOnlyMemory<byte> payload)
    {
        try
        {
            await session.SendAsync(payload, CancellationToken.None);
        }
        catch (HubConnectionException)
        {
            // The connection is gone; the server forgets the invocation with it.
        }
    }

    /// <summary>Queues an event's callbacks on the dispatcher, so they may call Stop/Start without deadlocking the run.</summary>
    private void Raise<TArg>(ConnectionRun run, Func<TArg, Task>? callbacks, TArg argument, string eventName)
    {
        if (callbacks is not null)
        {
            run.Dispatch.Writer.TryWrite(() => RaiseAsync(callbacks, argument, eventName));
        }
    }

    private async Task RaiseAsync<TArg>(Func<TArg, Task> callbacks, TArg argument, string eventName)
    {
        foreach (var callback in callbacks.GetInvocationList().Cast<Func<TArg, Task>>())
        {
            try
            {
                await callback(argument);
            }
#pragma warning disable CA1031 // A failing subscriber must not break the connection's lifecycle.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                HubClientLog.CallbackFailed(_logger, ex, eventName);
            }
        }
    }
}
