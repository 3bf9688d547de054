using System.Net;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Server;

/// <summary>
/// The association establishment of one SCP connection (PS3.8 9.2, acceptor side): the A-ASSOCIATE-RQ read under
/// ARTIM, the checks of PS3.8 9.3.4 (each refusal with its A-ASSOCIATE-RJ reason), the presentation-context
/// negotiation and the A-ASSOCIATE-AC. Every refusal is logged with its reason and raised as an event.
/// </summary>
internal sealed class DicomAssociationAcceptor(DicomServerOptions options, ILogger logger, DicomServer server, EndPoint? remote, bool overLimit)
{
    /// <summary>The accepted request (contexts negotiated, AC sent), or null when the connection ends here.</summary>
    public async Task<DicomAssociationRequest?> AcceptAsync(DicomConnection connection, CancellationToken stopping)
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
                DicomServerLog.PreAssociationFailure(logger, remote, $"no A-ASSOCIATE-RQ within the ARTIM timeout ({options.ArtimTimeout.TotalSeconds:0.#} s)");
                return null;
            }
            catch (DicomProtocolException ex)
            {
                DicomServerLog.PreAssociationFailure(logger, remote, ex.Message);
                await connection.TrySendAbortAsync(AbortSource.ServiceProvider, ex.Reason);
                return null;
            }
        }

        if (pdu is not { } received)
        {
            DicomServerLog.PreAssociationFailure(logger, remote, "closed without sending an A-ASSOCIATE-RQ");
            return null;
        }

        if (received.Header.PduType != PduType.AssociateRequest)
        {
            DicomServerLog.PreAssociationFailure(logger, remote, $"{received.Header.PduType} PDU before A-ASSOCIATE-RQ");
            await connection.TrySendAbortAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu);
            return null;
        }

        DicomAssociationRequest request;
        try
        {
            request = AssociatePduCodec.DecodeRequest(received.Body);
        }
        catch (DicomProtocolException ex)
        {
            DicomServerLog.PreAssociationFailure(logger, remote, "malformed A-ASSOCIATE-RQ: " + ex.Message);
            await connection.TrySendAbortAsync(AbortSource.ServiceProvider, ex.Reason);
            return null;
        }

        if (Check(request) is { } rejection)
        {
            DicomServerLog.Rejected(logger, remote, request.CallingAeTitle, request.CalledAeTitle, rejection.ToString());
            server.OnRejected(new DicomAssociationRejectedEventArgs(remote, request.CallingAeTitle, request.CalledAeTitle, rejection));
            await connection.SendPduAsync(AssociatePduCodec.EncodeReject(rejection), stopping);
            await connection.WaitForPeerCloseAsync(options.ArtimTimeout, options.TimeProvider);
            return null;
        }

        new PresentationContextNegotiator(options.TransferSyntaxPreference, options.AdditionalStorageSopClasses).Negotiate(request);
        var ours = new DicomUserInformation
        {
            MaximumLength = options.MaxPduLength,
            ImplementationVersionName = options.ImplementationVersionName,
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
        return request;
    }

    /// <summary>A token cancelled when the ARTIM timer runs out (or the server stops).</summary>
    public CancellationTokenSource Artim(CancellationToken stopping)
    {
        var artim = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        artim.CancelAfter(options.ArtimTimeout);
        return artim;
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

        if (options.CheckCalledAeTitle && !string.Equals(request.CalledAeTitle, options.AeTitle, StringComparison.Ordinal))
        {
            return DicomRejection.CalledAeNotRecognized;
        }

        if (options.AllowedCallingAeTitles.Count > 0 && !options.AllowedCallingAeTitles.Contains(request.CallingAeTitle))
        {
            return DicomRejection.CallingAeNotRecognized;
        }

        if (!IsPeerAllowedByAddress())
        {
            // No reason code names addresses; a permanent "no reason given" tells the peer not to retry.
            return DicomRejection.NoReasonGiven;
        }

        if (options.UserIdentityValidator is { } validate && !validate(request.UserInformation.UserIdentity))
        {
            return DicomRejection.NoReasonGiven;
        }

        return overLimit ? DicomRejection.LocalLimitExceeded : null;
    }

    private bool IsPeerAllowedByAddress()
    {
        if (options.AllowedPeers.Count == 0)
        {
            return true;
        }

        if (remote is not IPEndPoint ip)
        {
            return false;
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        return options.AllowedPeers.Any(n => n.Contains(address));
    }
}
