using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Draw.Dicom.Core;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// One association on the SCP side, from the accepted socket to its close (the acceptor's half of the
/// PS3.8 9.2 state machine): ARTIM until the A-ASSOCIATE-RQ, the checks and negotiation, then DIMSE
/// messages until release, abort, silence or a protocol error. Whatever happens, the socket is closed, any
/// partial file is deleted, and one "closed" event is raised.
/// </summary>
internal sealed class DicomServerAssociation
{
    private readonly long _id;
    private readonly Socket _socket;
    private readonly bool _overLimit;
    private readonly DicomServerOptions _options;
    private readonly IDicomStoreHandler _handler;
    private readonly ILogger _logger;
    private readonly DicomServer _server;
    private readonly EndPoint? _remote;
    private readonly long _started = Stopwatch.GetTimestamp();
    private DicomAssociationRequest? _request;
    private DicomAssociationInfo? _info;
    private StoreFileSink? _currentSink;
    private int _stored;
    private int _failed;
    private long _bytes;

    public DicomServerAssociation(long id, Socket socket, bool overLimit, DicomServerOptions options, IDicomStoreHandler handler, ILogger logger, DicomServer server)
    {
        _id = id;
        _socket = socket;
        _overLimit = overLimit;
        _options = options;
        _handler = handler;
        _logger = logger;
        _server = server;
        _remote = socket.RemoteEndPoint;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        // Without TCP_NODELAY a small DIMSE response waits for the peer's delayed ACK (tens of ms per message).
        _socket.NoDelay = true;
        Stream transport = new NetworkStream(_socket, ownsSocket: true);
        DicomConnection? connection = null;
        try
        {
            if (_options.Tls is { } tls)
            {
                transport = await AuthenticateTlsAsync(transport, tls, stopping);
            }

            connection = new DicomConnection(transport, _remote, _options.MaxPduLength);
            if (!await AssociateAsync(connection, stopping))
            {
                return;
            }

            await ServeAsync(connection, stopping);
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
            await DiscardCurrentSinkAsync();
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

    private bool IsPeerAllowedByAddress()
    {
        if (_options.AllowedPeers.Count == 0)
        {
            return true;
        }

        if (_remote is not IPEndPoint ip)
        {
            return false;
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        return _options.AllowedPeers.Any(n => n.Contains(address));
    }

    private async Task<Stream> AuthenticateTlsAsync(Stream transport, Tls.DicomServerTlsOptions tls, CancellationToken stopping)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false, tls.ClientCertificateValidation);
        using var artim = Artim(stopping);
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

    /// <summary>Reads the A-ASSOCIATE-RQ under ARTIM, checks it, and answers AC or RJ. True when accepted.</summary>
    private async Task<bool> AssociateAsync(DicomConnection connection, CancellationToken stopping)
    {
        (PduHeader Header, byte[] Body)? pdu;
        using (var artim = Artim(stopping))
        {
            try
            {
                pdu = await connection.ReadAssociationPduAsync(artim.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                DicomServerLog.PreAssociationFailure(_logger, _remote, $"no A-ASSOCIATE-RQ within the ARTIM timeout ({_options.ArtimTimeout.TotalSeconds:0.#} s)");
                return false;
            }
            catch (DicomProtocolException ex)
            {
                DicomServerLog.PreAssociationFailure(_logger, _remote, ex.Message);
                await connection.TrySendAbortAsync(AbortSource.ServiceProvider, ex.Reason);
                return false;
            }
        }

        if (pdu is not { } received)
        {
            DicomServerLog.PreAssociationFailure(_logger, _remote, "closed without sending an A-ASSOCIATE-RQ");
            return false;
        }

        if (received.Header.PduType != PduType.AssociateRequest)
        {
            DicomServerLog.PreAssociationFailure(_logger, _remote, $"{received.Header.PduType} PDU before A-ASSOCIATE-RQ");
            await connection.TrySendAbortAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu);
            return false;
        }

        DicomAssociationRequest request;
        try
        {
            request = AssociatePduCodec.DecodeRequest(received.Body);
        }
        catch (DicomProtocolException ex)
        {
            DicomServerLog.PreAssociationFailure(_logger, _remote, "malformed A-ASSOCIATE-RQ: " + ex.Message);
            await connection.TrySendAbortAsync(AbortSource.ServiceProvider, ex.Reason);
            return false;
        }

        if (Check(request) is { } rejection)
        {
            DicomServerLog.Rejected(_logger, _remote, request.CallingAeTitle, request.CalledAeTitle, rejection.ToString());
            _server.OnRejected(new DicomAssociationRejectedEventArgs(_remote, request.CallingAeTitle, request.CalledAeTitle, rejection));
            await connection.SendPduAsync(AssociatePduCodec.EncodeReject(rejection), stopping);
            await connection.WaitForPeerCloseAsync(_options.ArtimTimeout, _options.TimeProvider);
            return false;
        }

        new PresentationContextNegotiator(_options.TransferSyntaxPreference, _options.AdditionalStorageSopClasses).Negotiate(request);
        var ours = new DicomUserInformation
        {
            MaximumLength = _options.MaxPduLength,
            ImplementationVersionName = _options.ImplementationVersionName,
            // We perform one operation at a time: answer a proposed window with 1/1 (PS3.7 D.3.3.3).
            AsyncOperationsWindow = request.UserInformation.AsyncOperationsWindow is null ? null : new DicomAsyncOperationsWindow(1, 1),
            // Username identities need no server response; others get an empty one when asked for.
            UserIdentityServerResponse = request.UserInformation.UserIdentity is { PositiveResponseRequested: true } ? [] : null,
        };
        foreach (var role in request.UserInformation.RoleSelections)
        {
            // We only act as SCP for the requestor's SCU role (storage, verification); no C-GET-style reversal.
            ours.RoleSelections.Add(new DicomRoleSelection(role.SopClassUid, role.ScuRole, false));
        }

        connection.Writer.PeerMaxPduLength = request.UserInformation.MaximumLength;
        await connection.SendPduAsync(AssociatePduCodec.EncodeAccept(request, ours), stopping);
        _request = request;
        _info = new DicomAssociationInfo(_id, request.CallingAeTitle, request.CalledAeTitle, _remote, _options.TimeProvider.GetUtcNow());
        var accepted = request.PresentationContexts.Count(p => p.IsAccepted);
        DicomServerLog.Accepted(_logger, _id, request.CallingAeTitle, request.CalledAeTitle, _remote, accepted, request.PresentationContexts.Count);
        _server.OnAccepted(new DicomAssociationAcceptedEventArgs(_info, accepted));
        return true;
    }

    /// <summary>The checks of PS3.8 9.3.4 in order; the first failing one names the A-ASSOCIATE-RJ reason.</summary>
    private DicomRejection? Check(DicomAssociationRequest request)
    {
        if ((request.ProtocolVersion & 1) == 0)
        {
            return DicomRejection.ProtocolVersionNotSupported;
        }

        if (request.ApplicationContextName != DicomAssociationRequest.DicomApplicationContext)
        {
            return DicomRejection.ApplicationContextNotSupported;
        }

        if (_options.CheckCalledAeTitle && !string.Equals(request.CalledAeTitle, _options.AeTitle, StringComparison.Ordinal))
        {
            return DicomRejection.CalledAeNotRecognized;
        }

        if (_options.AllowedCallingAeTitles.Count > 0 && !_options.AllowedCallingAeTitles.Contains(request.CallingAeTitle))
        {
            return DicomRejection.CallingAeNotRecognized;
        }

        if (!IsPeerAllowedByAddress())
        {
            // No reason code names addresses; a permanent "no reason given" tells the peer not to retry.
            return DicomRejection.NoReasonGiven;
        }

        if (_options.UserIdentityValidator is { } validate && !validate(request.UserInformation.UserIdentity))
        {
            return DicomRejection.NoReasonGiven;
        }

        return _overLimit ? DicomRejection.LocalLimitExceeded : null;
    }

    private async Task ServeAsync(DicomConnection connection, CancellationToken stopping)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            while (true)
            {
                // The DIMSE timeout covers the whole next message: a peer that stalls inside one is cut off too.
                silence.CancelAfter(_options.DimseTimeout);
                var next = await connection.Reader.ReadAsync(OpenSinkAsync, silence.Token);
                switch (next.Kind)
                {
                    case UpperLayerEventKind.Message:
                        await HandleMessageAsync(connection, next.Message!, silence.Token);
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
            await AbortAsync(connection, ex.Reason, ex.Message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await AbortAsync(connection, AbortReason.NotSpecified, "the server is stopping");
        }
        catch (OperationCanceledException)
        {
            await AbortAsync(connection, AbortReason.NotSpecified, $"the peer was silent for {_options.DimseTimeout.TotalSeconds:0.#} s");
        }
    }

    private async Task AbortAsync(DicomConnection connection, AbortReason reason, string why)
    {
        DicomServerLog.AbortedByUs(_logger, _id, _remote, why);
        await DiscardCurrentSinkAsync();
        await connection.TrySendAbortAsync(AbortSource.ServiceProvider, reason);
        Close(DicomAssociationOutcome.AbortedByUs, why);
    }

    /// <summary>Called by the message reader when a command with a data set is complete: where its data goes.</summary>
    private async ValueTask<Stream> OpenSinkAsync(byte contextId, DicomCommand command, CancellationToken cancellationToken)
    {
        var pc = _request!.FindContext(contextId);
        if (pc is null || !pc.IsAccepted)
        {
            throw new DicomProtocolException($"a message arrived on presentation context {contextId}, which was not accepted", AbortReason.UnexpectedPduParameter);
        }

        if (command.CommandField != DimseCommandField.CStoreRequest
            || command.AffectedSopClassUid != pc.AbstractSyntax
            || string.IsNullOrEmpty(command.AffectedSopInstanceUid))
        {
            // Data we will refuse once it has arrived: read and dropped, never kept.
            return Stream.Null;
        }

        var instance = new DicomIncomingInstance
        {
            AssociationId = _id,
            CallingAeTitle = _request.CallingAeTitle,
            CalledAeTitle = _request.CalledAeTitle,
            RemoteEndPoint = _remote,
            SopClassUid = command.AffectedSopClassUid,
            SopInstanceUid = command.AffectedSopInstanceUid,
            TransferSyntax = DicomTransferSyntax.Lookup(pc.AcceptedTransferSyntax!),
            MoveOriginatorAeTitle = command.MoveOriginatorAeTitle,
        };
        _currentSink = await StoreFileSink.CreateAsync(_handler.GetTemporaryFolder(instance), instance, cancellationToken);
        return _currentSink.Stream;
    }

    private async Task HandleMessageAsync(DicomConnection connection, DimseMessage message, CancellationToken cancellationToken)
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
            case DimseCommandField.CStoreRequest when _currentSink is not null:
                status = await CompleteStoreAsync(cancellationToken);
                break;
            case DimseCommandField.CStoreRequest:
                status = command.AffectedSopClassUid != pc.AbstractSyntax
                    ? DicomStatus.DataSetDoesNotMatchSopClass.WithComment("SOP class differs from the presentation context")
                    : DicomStatus.CannotUnderstand.WithComment("no SOP instance UID");
                _failed++;
                break;
            default:
                DicomServerLog.UnsupportedCommand(_logger, _id, command.CommandField.ToString());
                status = DicomStatus.UnrecognizedOperation;
                break;
        }

        await connection.Writer.SendAsync(message.PresentationContextId, DicomCommand.ResponseTo(command, status), null, cancellationToken);
    }

    private async Task<DicomStatus> CompleteStoreAsync(CancellationToken cancellationToken)
    {
        var sink = _currentSink!;
        _currentSink = null;
        var instance = sink.Instance;
        DicomStoreDecision decision;
        try
        {
            await sink.CompleteAsync(_options.FlushToDisk, cancellationToken);
            decision = await _handler.OnInstanceReceivedAsync(instance, cancellationToken);
            if (decision.FinalPath is { } final && decision.Status.IsSuccessOrWarning)
            {
                File.Move(sink.TemporaryPath, final, overwrite: true);
            }
            else
            {
                sink.Delete();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DicomServerLog.HandlerFailed(_logger, ex, _id);
            sink.Delete();
            decision = DicomStoreDecision.Refuse(ex is IOException or UnauthorizedAccessException
                ? DicomStatus.OutOfResources.WithComment("could not write the instance")
                : DicomStatus.ProcessingFailure.WithComment("the instance could not be processed"));
        }
        catch
        {
            sink.Delete();
            throw;
        }
        finally
        {
            await sink.DisposeAsync();
        }

        if (decision.Status.IsSuccessOrWarning && decision.FinalPath is not null)
        {
            _stored++;
        }
        else
        {
            _failed++;
        }

        DicomServerLog.Stored(_logger, _id, instance.SopInstanceUid, instance.SopClassUid, instance.TransferSyntax.Uid, instance.DataSetLength, decision.Status.ToString());
        _server.OnInstanceStored(new DicomInstanceStoredEventArgs(_info!, instance, decision.Status, decision.Status.IsSuccessOrWarning ? decision.FinalPath : null));
        return decision.Status;
    }

    private async Task DiscardCurrentSinkAsync()
    {
        if (_currentSink is { } sink)
        {
            _currentSink = null;
            await sink.DisposeAsync();
            sink.Delete();
        }
    }

    private void Close(DicomAssociationOutcome outcome, string? reason)
    {
        if (_info is null)
        {
            return;
        }

        var duration = Stopwatch.GetElapsedTime(_started);
        DicomServerLog.Closed(_logger, _id, outcome.ToString(), (long)duration.TotalMilliseconds, _stored, _failed, _bytes, _remote, reason is null ? "" : ": " + reason);
        _server.OnClosed(new DicomAssociationClosedEventArgs
        {
            Association = _info,
            Outcome = outcome,
            Reason = reason,
            InstancesStored = _stored,
            InstancesFailed = _failed,
            BytesReceived = _bytes,
            Duration = duration,
        });
        _info = null;
    }

    private CancellationTokenSource Artim(CancellationToken stopping)
    {
        var artim = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        artim.CancelAfter(_options.ArtimTimeout);
        return artim;
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
