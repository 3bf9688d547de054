using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draw.Dicom.Network.Client;

/// <summary>
/// A DICOM SCU: opens associations to one peer and runs C-ECHO, C-STORE (many files per association),
/// C-FIND and C-MOVE. Each call below opens its own association and releases it; use
/// <see cref="OpenAsync"/> to run several operations on one.
/// </summary>
public sealed class DicomClient
{
    private static readonly string[] s_uncompressed = [DicomUids.ExplicitVRLittleEndian, DicomUids.ImplicitVRLittleEndian];
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;

    public DicomClient(DicomClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    public DicomClientOptions Options => _options;

    /// <summary>Connects (TLS if configured), proposes the contexts and returns the accepted association.</summary>
    /// <exception cref="DicomAssociationRejectedException">The peer answered A-ASSOCIATE-RJ.</exception>
    public Task<DicomClientAssociation> OpenAsync(IEnumerable<(string AbstractSyntax, string[] TransferSyntaxes)> contexts, CancellationToken cancellationToken = default) =>
        OpenAsync(contexts, blockingTransport: false, cancellationToken);

    /// <param name="blockingTransport">
    /// True on an <see cref="Transport.AssociationThread"/>: the socket blocks that thread instead of handing every
    /// wait to the socket engine and the thread pool (see <see cref="Transport.BlockingSocketStream"/>).
    /// </param>
    private async Task<DicomClientAssociation> OpenAsync(IEnumerable<(string AbstractSyntax, string[] TransferSyntaxes)> contexts, bool blockingTransport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        var request = new DicomAssociationRequest(_options.CallingAeTitle, _options.CalledAeTitle)
        {
            UserInformation = new DicomUserInformation
            {
                MaximumLength = _options.MaxPduLength,
                ImplementationVersionName = _options.ImplementationVersionName,
                UserIdentity = _options.UserIdentity,
            },
        };
        foreach (var (abstractSyntax, syntaxes) in contexts)
        {
            request.AddContext(abstractSyntax, syntaxes);
        }

        var transport = await ConnectAsync(blockingTransport, cancellationToken);
        var connection = new DicomConnection(transport, null, _options.MaxPduLength);
        try
        {
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            artim.CancelAfter(_options.AssociationTimeout);
            await connection.SendPduAsync(AssociatePduCodec.EncodeRequest(request), artim.Token);
            var answer = await connection.ReadAssociationPduAsync(artim.Token)
                ?? throw new DicomAssociationAbortedException("the peer closed the connection instead of answering the association request");
            switch (answer.Header.PduType)
            {
                case PduType.AssociateAccept:
                    var peer = AssociatePduCodec.DecodeAccept(answer.Body, request);
                    connection.Writer.PeerMaxPduLength = peer.MaximumLength;
                    DicomClientLog.Accepted(_logger, request.CallingAeTitle, request.CalledAeTitle, _options.Host, _options.Port, request.PresentationContexts.Count(p => p.IsAccepted), request.PresentationContexts.Count, peer.MaximumLength);
                    return new DicomClientAssociation(connection, request, peer, _options, _logger);
                case PduType.AssociateReject:
                    var rejection = AssociatePduCodec.DecodeReject(answer.Body);
                    DicomClientLog.Rejected(_logger, request.CallingAeTitle, request.CalledAeTitle, _options.Host, _options.Port, rejection.ToString());
                    throw new DicomAssociationRejectedException(rejection);
                case PduType.Abort:
                    var (source, reason) = AbortPdu.Decode(answer.Body);
                    throw new DicomAssociationAbortedException($"the peer aborted the association request (source {source}, reason {reason})", source, reason);
                default:
                    await connection.TrySendAbortAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu);
                    throw new DicomProtocolException($"{answer.Header.PduType} in answer to A-ASSOCIATE-RQ", AbortReason.UnexpectedPdu);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new TimeoutException($"{_options.Host}:{_options.Port} did not answer the association request within {_options.AssociationTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        await using var association = await OpenAsync([(DimseSopClasses.Verification, s_uncompressed)], cancellationToken);
        var status = await association.EchoAsync(cancellationToken);
        await association.ReleaseAsync(cancellationToken);
        return status;
    }

    /// <summary>
    /// Sends files over as few associations as possible (one, unless more than 128 contexts are needed). Each
    /// SOP class is proposed with each of its files' transfer syntaxes, plus explicit and implicit VR little
    /// endian as fallbacks. Per-file failures are reported, not thrown; a lost association fails the files not
    /// yet sent. Retrying is the caller's decision.
    /// </summary>
    public async Task<DicomStoreSummary> StoreFilesAsync(IEnumerable<string> paths, IProgress<DicomStoreFileResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var started = Stopwatch.GetTimestamp();
        var results = new List<DicomStoreFileResult>();
        var readable = new List<StoreCandidate>();
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var file = StoreCandidate.Read(path);
                if (file.SopClass is null || file.SopInstance is null)
                {
                    Report(new DicomStoreFileResult(path, file.SopInstance, DicomStatus.CannotUnderstand, 0, "no SOP class or instance UID"));
                    continue;
                }

                readable.Add(file);
            }
            catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
            {
                Report(new DicomStoreFileResult(path, null, DicomStatus.CannotUnderstand, 0, "not readable as DICOM: " + ex.Message));
            }
        }

        var associations = 0;
        foreach (var batch in Batches(readable))
        {
            associations++;
            // The batch runs on a thread of its own, every socket wait a plain blocking call (the caller's await is not).
            await Transport.AssociationThread.Start($"DICOM store to {_options.Host}:{_options.Port}", () => StoreBatchAsync(batch, Report, cancellationToken));
        }

        return new DicomStoreSummary(results, associations, Stopwatch.GetElapsedTime(started));

        void Report(DicomStoreFileResult result)
        {
            results.Add(result);
            progress?.Report(result);
        }
    }

    public async Task<DicomFindResult> FindAsync(string sopClassUid, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        await using var association = await OpenAsync([(sopClassUid, s_uncompressed)], cancellationToken);
        var result = await association.FindAsync(sopClassUid, identifier, cancellationToken);
        await association.ReleaseAsync(cancellationToken);
        return result;
    }

    public async Task<DicomMoveResult> MoveAsync(string sopClassUid, string destinationAeTitle, DicomDataset identifier, IProgress<DicomMoveResult>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var association = await OpenAsync([(sopClassUid, s_uncompressed)], cancellationToken);
        var result = await association.MoveAsync(sopClassUid, destinationAeTitle, identifier, progress, cancellationToken);
        await association.ReleaseAsync(cancellationToken);
        return result;
    }

    private async Task StoreBatchAsync(List<StoreCandidate> batch, Action<DicomStoreFileResult> report, CancellationToken cancellationToken)
    {
        var sent = 0;
        try
        {
            await using var association = await OpenAsync(ContextsFor(batch), blockingTransport: true, cancellationToken);
            foreach (var file in batch)
            {
                report(await association.StoreFileAsync(file, cancellationToken));
                sent++;
            }

            await association.ReleaseAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DicomAssociationRejectedException or DicomAssociationAbortedException or DicomProtocolException or IOException or SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            DicomClientLog.Aborted(_logger, _options.Host, _options.Port, ex.Message);
            foreach (var file in batch.Skip(sent))
            {
                report(new DicomStoreFileResult(file.Path, null, DicomStatus.ProcessingFailure, 0, ex.Message));
            }
        }
    }

    /// <summary>Groups files so that no association proposes more than 128 contexts.</summary>
    private static IEnumerable<List<StoreCandidate>> Batches(List<StoreCandidate> files)
    {
        var batch = new List<StoreCandidate>();
        foreach (var group in files.GroupBy(f => f.SopClass))
        {
            var needed = ContextsFor(group).Count();
            if (batch.Count > 0 && ContextsFor(batch).Count() + needed > 128)
            {
                yield return batch;
                batch = [];
            }

            batch.AddRange(group);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static IEnumerable<(string AbstractSyntax, string[] TransferSyntaxes)> ContextsFor(IEnumerable<StoreCandidate> files)
    {
        foreach (var sopClass in files.GroupBy(f => f.SopClass!))
        {
            foreach (var syntax in sopClass.Select(f => f.TransferSyntax.Uid).Distinct())
            {
                // Explicit VR little endian is the fallback context's first choice already.
                if (syntax != DicomUids.ExplicitVRLittleEndian)
                {
                    yield return (sopClass.Key, [syntax]);
                }
            }

            yield return (sopClass.Key, s_uncompressed);
        }
    }

    private async Task<Stream> ConnectAsync(bool blocking, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(_options.ConnectTimeout);
                try
                {
                    if (blocking)
                    {
                        ConnectBlocking(socket, connect.Token);
                    }
                    else
                    {
                        await socket.ConnectAsync(_options.Host, _options.Port, connect.Token);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"could not connect to {_options.Host}:{_options.Port} within {_options.ConnectTimeout.TotalSeconds:0.#} s");
                }
            }

            Stream stream = blocking ? new Transport.BlockingSocketStream(socket) : new NetworkStream(socket, ownsSocket: true);
            if (_options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, tls.ServerCertificateValidation);
                try
                {
                    using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    handshake.CancelAfter(_options.AssociationTimeout);
                    await ssl.AuthenticateAsClientAsync(
                        new SslClientAuthenticationOptions
                        {
                            TargetHost = tls.TargetHost ?? _options.Host,
                            ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
                            EnabledSslProtocols = tls.Protocols,
                            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                        },
                        handshake.Token);
                }
                catch
                {
                    await ssl.DisposeAsync();
                    throw;
                }

                stream = ssl;
            }

            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A blocking connect (the socket stays in blocking mode); the timeout or a cancellation closes the socket under it.</summary>
    private void ConnectBlocking(Socket socket, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            socket.Connect(_options.Host, _options.Port);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the connection attempt was cancelled", ex, cancellationToken);
        }
    }
}
