using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// One association on the SCP side, from the accepted socket to its close (the acceptor's half of the
/// PS3.8 9.2 state machine): TLS if configured, establishment (<see cref="DicomAssociationAcceptor"/>), then
/// DIMSE messages until release, abort, silence or a protocol error, C-STOREs going to a
/// <see cref="StoreReceiver"/>. Whatever happens, the socket is closed, any partial file is deleted, and one
/// "closed" event is raised.
/// </summary>
internal sealed class DicomServerAssociation
{
    private readonly long _id;
    private readonly Socket _socket;
    private readonly DicomServerOptions _options;
    private readonly IDicomStoreHandler _handler;
    private readonly ILogger _logger;
    private readonly DicomServer _server;
    private readonly EndPoint? _remote;
    private readonly DicomAssociationAcceptor _acceptor;
    private readonly long _started = Stopwatch.GetTimestamp();
    private DicomAssociationRequest? _request;
    private DicomAssociationInfo? _info;
    private StoreReceiver? _store;
    private long _bytes;

    public DicomServerAssociation(long id, Socket socket, bool overLimit, DicomServerOptions options, IDicomStoreHandler handler, ILogger logger, DicomServer server)
    {
        _id = id;
        _socket = socket;
        _options = options;
        _handler = handler;
        _logger = logger;
        _server = server;
        _remote = socket.RemoteEndPoint;
        _acceptor = new DicomAssociationAcceptor(options, logger, server, _remote, overLimit);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        // Without TCP_NODELAY a small DIMSE response waits for the peer's delayed ACK (tens of ms per message).
        _socket.NoDelay = true;
        Stream transport = new Transport.BlockingSocketStream(_socket);
        DicomConnection? connection = null;
        try
        {
            if (_options.Tls is { } tls)
            {
                transport = await AuthenticateTlsAsync(transport, tls, stopping);
            }

            connection = new DicomConnection(transport, _remote, _options.MaxPduLength);
            if (await _acceptor.AcceptAsync(connection, stopping) is not { } request)
            {
                return;
            }

            _request = request;
            _info = new DicomAssociationInfo(_id, request.CallingAeTitle, request.CalledAeTitle, _remote, _options.TimeProvider.GetUtcNow());
            _store = new StoreReceiver(_info, request, _options, _handler, _logger, _server);
            var accepted = request.PresentationContexts.Count(p => p.IsAccepted);
            DicomServerLog.Accepted(_logger, _id, request.CallingAeTitle, request.CalledAeTitle, _remote, accepted, request.PresentationContexts.Count);
            _server.OnAccepted(new DicomAssociationAcceptedEventArgs(_info, accepted));
            await ServeAsync(connection, _store, stopping);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            if (_info is null)
            {
                DicomServerLog.PreAssociationFailure(_logger, _remote, Describe(ex));
            }
            else
            {
                Close(DicomAssociationOutcome.AbortedByPeer, Describe(ex));
            }
        }
        finally
        {
            if (_store is not null)
            {
                await _store.DiscardAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                await transport.DisposeAsync();
            }
        }
    }

    private async Task<Stream> AuthenticateTlsAsync(Stream transport, Tls.DicomServerTlsOptions tls, CancellationToken stopping)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false, tls.ClientCertificateValidation);
        using var artim = _acceptor.Artim(stopping);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = tls.Certificate,
                    ClientCertificateRequired = tls.RequireClientCertificate,
                    EnabledSslProtocols = tls.Protocols,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                },
                artim.Token);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private async Task ServeAsync(DicomConnection connection, StoreReceiver store, CancellationToken stopping)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            while (true)
            {
                // The DIMSE timeout covers the whole next message: a peer that stalls inside one is cut off too.
                silence.CancelAfter(_options.DimseTimeout);
                var next = await connection.Reader.ReadAsync(store.OpenSinkAsync, silence.Token);
                switch (next.Kind)
                {
                    case UpperLayerEventKind.Message:
                        await HandleMessageAsync(connection, store, next.Message!, silence.Token);
                        break;
                    case UpperLayerEventKind.ReleaseRequest:
                        await connection.SendPduAsync(ReleasePdu.Encode(PduType.ReleaseResponse), stopping);
                        Close(DicomAssociationOutcome.Released, null);
                        await connection.WaitForPeerCloseAsync(_options.ArtimTimeout, _options.TimeProvider);
                        return;
                    case UpperLayerEventKind.Abort:
                        Close(DicomAssociationOutcome.AbortedByPeer, $"A-ABORT from the peer (source {next.AbortSource}, reason {next.AbortReason})");
                        return;
                    case UpperLayerEventKind.Closed:
                        Close(DicomAssociationOutcome.AbortedByPeer, "the connection closed without a release");
                        return;
                    default:
                        throw new DicomProtocolException("A-RELEASE-RP without a release request", AbortReason.UnexpectedPdu);
                }

                if (!silence.TryReset())
                {
                    throw new OperationCanceledException(silence.Token);
                }
            }
        }
        catch (DicomProtocolException ex)
        {
            await AbortAsync(connection, store, ex.Reason, ex.Message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await AbortAsync(connection, store, AbortReason.NotSpecified, "the server is stopping");
        }
        catch (OperationCanceledException)
        {
            await AbortAsync(connection, store, AbortReason.NotSpecified, $"the peer was silent for {_options.DimseTimeout.TotalSeconds:0.#} s");
        }
    }

    private async Task AbortAsync(DicomConnection connection, StoreReceiver store, AbortReason reason, string why)
    {
        DicomServerLog.AbortedByUs(_logger, _id, _remote, why);
        await store.DiscardAsync();
        await connection.TrySendAbortAsync(AbortSource.ServiceProvider, reason);
        Close(DicomAssociationOutcome.AbortedByUs, why);
    }

    private async Task HandleMessageAsync(DicomConnection connection, StoreReceiver store, DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        _bytes += message.DataLength;
        if (!command.IsRequest || command.CommandField == DimseCommandField.CCancelRequest)
        {
            // Nothing to answer: we send no requests, and we have no pending operation a C-CANCEL could stop.
            return;
        }

        var pc = _request!.FindContext(message.PresentationContextId);
        if (pc is null || !pc.IsAccepted)
        {
            throw new DicomProtocolException($"a message arrived on presentation context {message.PresentationContextId}, which was not accepted", AbortReason.UnexpectedPduParameter);
        }

        DicomStatus status;
        switch (command.CommandField)
        {
            case DimseCommandField.CEchoRequest when pc.AbstractSyntax == DimseSopClasses.Verification:
                status = DicomStatus.Success;
                break;
            case DimseCommandField.CStoreRequest when store.HasInstance:
                status = await store.CompleteAsync(cancellationToken);
                break;
            case DimseCommandField.CStoreRequest:
                status = command.AffectedSopClassUid != pc.AbstractSyntax
                    ? DicomStatus.DataSetDoesNotMatchSopClass.WithComment("SOP class differs from the presentation context")
                    : DicomStatus.CannotUnderstand.WithComment("no SOP instance UID");
                store.CountRefused();
                break;
            default:
                DicomServerLog.UnsupportedCommand(_logger, _id, command.CommandField.ToString());
                status = DicomStatus.UnrecognizedOperation;
                break;
        }

        await connection.Writer.SendAsync(message.PresentationContextId, DicomCommand.ResponseTo(command, status), null, cancellationToken);
    }

    private void Close(DicomAssociationOutcome outcome, string? reason)
    {
        if (_info is null)
        {
            return;
        }

        var duration = Stopwatch.GetElapsedTime(_started);
        var stored = _store?.Stored ?? 0;
        var failed = _store?.Failed ?? 0;
        DicomServerLog.Closed(_logger, _id, outcome.ToString(), (long)duration.TotalMilliseconds, stored, failed, _bytes, _remote, reason is null ? "" : ": " + reason);
        _server.OnClosed(new DicomAssociationClosedEventArgs
        {
            Association = _info,
            Outcome = outcome,
            Reason = reason,
            InstancesStored = stored,
            InstancesFailed = failed,
            BytesReceived = _bytes,
            Duration = duration,
        });
        _info = null;
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or DicomAssociationAbortedException
            or System.Security.Authentication.AuthenticationException
            || (ex is OperationCanceledException);

    private static string Describe(Exception ex) => ex switch
    {
        DicomAssociationAbortedException => ex.Message,
        System.Security.Authentication.AuthenticationException => "TLS handshake failed: " + ex.Message,
        OperationCanceledException => "timed out or the server is stopping",
        _ => "connection lost: " + ex.Message,
    };
}
