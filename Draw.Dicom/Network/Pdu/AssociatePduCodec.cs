using Draw.Dicom.Network.Association;

namespace Draw.Dicom.Network.Pdu;

/// <summary>
/// Encodes and decodes A-ASSOCIATE-RQ, -AC and -RJ (PS3.8 9.3.2-9.3.4) and their user information
/// sub-items (PS3.7 Annex D.3.3). Unknown items are skipped, as PS3.8 9.3.1 asks.
/// </summary>
public static class AssociatePduCodec
{
    public static byte[] EncodeRequest(DicomAssociationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var b = new PduBuilder();
        WriteFixedFields(b, request);
        foreach (var pc in request.PresentationContexts)
        {
            b.Byte(PduItemType.PresentationContextRequest);
            b.Byte(0);
            var at = b.BeginUInt16Length();
            b.Byte(pc.Id);
            b.Zeros(3);
            b.StringItem(PduItemType.AbstractSyntax, pc.AbstractSyntax);
            foreach (var ts in pc.ProposedTransferSyntaxes)
            {
                b.StringItem(PduItemType.TransferSyntax, ts);
            }

            b.EndUInt16Length(at);
        }

        WriteUserInformation(b, request.UserInformation, isAccept: false);
        return b.ToPdu(PduType.AssociateRequest);
    }

    /// <summary>The A-ASSOCIATE-AC for a negotiated request: each context's result and our user information.</summary>
    public static byte[] EncodeAccept(DicomAssociationRequest request, DicomUserInformation acceptorInformation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(acceptorInformation);
        var b = new PduBuilder();
        WriteFixedFields(b, request);
        foreach (var pc in request.PresentationContexts)
        {
            b.Byte(PduItemType.PresentationContextAccept);
            b.Byte(0);
            var at = b.BeginUInt16Length();
            b.Byte(pc.Id);
            b.Byte(0);
            b.Byte(pc.Result == PresentationContextResult.Proposed ? (byte)PresentationContextResult.ProviderRejectionNoReason : (byte)pc.Result);
            b.Byte(0);
            // PS3.8 9.3.3.2: the transfer syntax sub-item is present but not significant when the context is rejected.
            b.StringItem(PduItemType.TransferSyntax, pc.AcceptedTransferSyntax ?? (pc.ProposedTransferSyntaxes.Count > 0 ? pc.ProposedTransferSyntaxes[0] : ""));
            b.EndUInt16Length(at);
        }

        WriteUserInformation(b, acceptorInformation, isAccept: true);
        return b.ToPdu(PduType.AssociateAccept);
    }

    public static byte[] EncodeReject(DicomRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var pdu = new byte[PduHeader.Size + 4];
        PduHeader.Write(pdu, PduType.AssociateReject, 4);
        pdu[7] = (byte)rejection.Result;
        pdu[8] = (byte)rejection.Source;
        pdu[9] = rejection.Reason;
        return pdu;
    }

    public static DicomRejection DecodeReject(ReadOnlySpan<byte> body)
    {
        var r = new PduSpanReader(body);
        r.Skip(1);
        return new DicomRejection((RejectResult)r.Byte(), (RejectSource)r.Byte(), r.Byte());
    }

    public static DicomAssociationRequest DecodeRequest(ReadOnlySpan<byte> body)
    {
        var r = new PduSpanReader(body);
        var version = r.UInt16();
        r.Skip(2);
        var called = r.AeTitle();
        var calling = r.AeTitle();
        r.Skip(32);
        var request = new DicomAssociationRequest(calling, called) { ProtocolVersion = version };
        var sawUserInformation = false;
        while (r.Remaining > 0)
        {
            var type = r.Byte();
            r.Skip(1);
            var item = r.Bytes(r.UInt16());
            switch (type)
            {
                case PduItemType.ApplicationContext:
                    request.ApplicationContextName = PduSpanReader.Ascii(item);
                    break;
                case PduItemType.PresentationContextRequest:
                    request.PresentationContexts.Add(DecodeProposedContext(item));
                    break;
                case PduItemType.UserInformation:
                    request.UserInformation = DecodeUserInformation(item);
                    sawUserInformation = true;
                    break;
                default:
                    break;
            }
        }

        if (!sawUserInformation)
        {
            // PS3.7 D.3.3.1: the maximum length sub-item is mandatory, so is the user information item.
            throw new DicomProtocolException("A-ASSOCIATE-RQ without a user information item", AbortReason.InvalidPduParameterValue);
        }

        if (request.PresentationContexts.Select(p => p.Id).Distinct().Count() != request.PresentationContexts.Count)
        {
            throw new DicomProtocolException("A-ASSOCIATE-RQ proposes the same presentation context ID twice", AbortReason.InvalidPduParameterValue);
        }

        return request;
    }

    /// <summary>Applies an A-ASSOCIATE-AC to the request we sent: context results and the acceptor's user information.</summary>
    public static DicomUserInformation DecodeAccept(ReadOnlySpan<byte> body, DicomAssociationRequest sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var r = new PduSpanReader(body);
        r.Skip(2 + 2 + 16 + 16 + 32);
        var info = new DicomUserInformation();
        var answered = new HashSet<byte>();
        while (r.Remaining > 0)
        {
            var type = r.Byte();
            r.Skip(1);
            var item = r.Bytes(r.UInt16());
            switch (type)
            {
                case PduItemType.PresentationContextAccept:
                    var ir = new PduSpanReader(item);
                    var id = ir.Byte();
                    ir.Skip(1);
                    var result = (PresentationContextResult)ir.Byte();
                    ir.Skip(1);
                    string? ts = null;
                    while (ir.Remaining > 0)
                    {
                        var subType = ir.Byte();
                        ir.Skip(1);
                        var sub = ir.Bytes(ir.UInt16());
                        if (subType == PduItemType.TransferSyntax)
                        {
                            ts = PduSpanReader.Ascii(sub);
                        }
                    }

                    var pc = sent.FindContext(id) ?? throw new DicomProtocolException($"A-ASSOCIATE-AC answers presentation context {id}, which was not proposed");
                    answered.Add(id);
                    if (result == PresentationContextResult.Acceptance)
                    {
                        if (ts is null || !pc.ProposedTransferSyntaxes.Contains(ts))
                        {
                            throw new DicomProtocolException($"A-ASSOCIATE-AC accepts context {id} with transfer syntax {ts}, which was not proposed for it");
                        }

                        pc.Accept(ts);
                    }
                    else
                    {
                        pc.Reject(result);
                    }

                    break;
                case PduItemType.UserInformation:
                    info = DecodeUserInformation(item);
                    break;
                default:
                    break;
            }
        }

        foreach (var pc in sent.PresentationContexts)
        {
            if (!answered.Contains(pc.Id))
            {
                pc.Reject(PresentationContextResult.ProviderRejectionNoReason);
            }
        }

        return info;
    }

    private static void WriteFixedFields(PduBuilder b, DicomAssociationRequest request)
    {
        b.UInt16(request.ProtocolVersion);
        b.Zeros(2);
        b.AeTitle(request.CalledAeTitle);
        b.AeTitle(request.CallingAeTitle);
        b.Zeros(32);
        b.StringItem(PduItemType.ApplicationContext, request.ApplicationContextName);
    }

    private static DicomPresentationContext DecodeProposedContext(ReadOnlySpan<byte> item)
    {
        var r = new PduSpanReader(item);
        var id = r.Byte();
        r.Skip(3);
        string? abstractSyntax = null;
        var syntaxes = new List<string>(4);
        while (r.Remaining > 0)
        {
            var type = r.Byte();
            r.Skip(1);
            var sub = r.Bytes(r.UInt16());
            if (type == PduItemType.AbstractSyntax)
            {
                abstractSyntax = PduSpanReader.Ascii(sub);
            }
            else if (type == PduItemType.TransferSyntax)
            {
                syntaxes.Add(PduSpanReader.Ascii(sub));
            }
        }

        if ((id & 1) == 0 || abstractSyntax is null || syntaxes.Count == 0)
        {
            throw new DicomProtocolException($"presentation context item {id} is malformed (even ID, or no abstract or transfer syntax)");
        }

        return new DicomPresentationContext(id, abstractSyntax, syntaxes);
    }

    private static void WriteUserInformation(PduBuilder b, DicomUserInformation info, bool isAccept)
    {
        b.Byte(PduItemType.UserInformation);
        b.Byte(0);
        var at = b.BeginUInt16Length();
        b.Byte(PduItemType.MaximumLength);
        b.Byte(0);
        b.UInt16(4);
        b.UInt32(info.MaximumLength);
        b.StringItem(PduItemType.ImplementationClassUid, info.ImplementationClassUid ?? Core.DicomUidGenerator.ImplementationClassUid);
        if (info.AsyncOperationsWindow is { } window)
        {
            b.Byte(PduItemType.AsynchronousOperationsWindow);
            b.Byte(0);
            b.UInt16(4);
            b.UInt16(window.MaxInvoked);
            b.UInt16(window.MaxPerformed);
        }

        foreach (var role in info.RoleSelections)
        {
            b.Byte(PduItemType.RoleSelection);
            b.Byte(0);
            var roleAt = b.BeginUInt16Length();
            b.UInt16((ushort)role.SopClassUid.Length);
            b.Bytes(System.Text.Encoding.ASCII.GetBytes(role.SopClassUid));
            b.Byte(role.ScuRole ? (byte)1 : (byte)0);
            b.Byte(role.ScpRole ? (byte)1 : (byte)0);
            b.EndUInt16Length(roleAt);
        }

        if (info.ImplementationVersionName is { Length: > 0 } name)
        {
            b.StringItem(PduItemType.ImplementationVersionName, name.Length > 16 ? name[..16] : name);
        }

        if (!isAccept && info.UserIdentity is { } identity)
        {
            b.Byte(PduItemType.UserIdentityRequest);
            b.Byte(0);
            var idAt = b.BeginUInt16Length();
            b.Byte((byte)identity.Type);
            b.Byte(identity.PositiveResponseRequested ? (byte)1 : (byte)0);
            b.UInt16((ushort)identity.PrimaryField.Length);
            b.Bytes(identity.PrimaryField);
            b.UInt16((ushort)identity.SecondaryField.Length);
            b.Bytes(identity.SecondaryField);
            b.EndUInt16Length(idAt);
        }

        if (isAccept && info.UserIdentityServerResponse is { } response)
        {
            b.Byte(PduItemType.UserIdentityAccept);
            b.Byte(0);
            var respAt = b.BeginUInt16Length();
            b.UInt16((ushort)response.Length);
            b.Bytes(response);
            b.EndUInt16Length(respAt);
        }

        b.EndUInt16Length(at);
    }

    private static DicomUserInformation DecodeUserInformation(ReadOnlySpan<byte> item)
    {
        var info = new DicomUserInformation();
        var r = new PduSpanReader(item);
        while (r.Remaining > 0)
        {
            var type = r.Byte();
            r.Skip(1);
            var sub = new PduSpanReader(r.Bytes(r.UInt16()));
            switch (type)
            {
                case PduItemType.MaximumLength:
                    info.MaximumLength = sub.UInt32();
                    break;
                case PduItemType.ImplementationClassUid:
                    info.ImplementationClassUid = PduSpanReader.Ascii(sub.Bytes(sub.Remaining));
                    break;
                case PduItemType.ImplementationVersionName:
                    info.ImplementationVersionName = PduSpanReader.Ascii(sub.Bytes(sub.Remaining));
                    break;
                case PduItemType.AsynchronousOperationsWindow:
                    info.AsyncOperationsWindow = new DicomAsyncOperationsWindow(sub.UInt16(), sub.UInt16());
                    break;
                case PduItemType.RoleSelection:
                    var uid = PduSpanReader.Ascii(sub.Bytes(sub.UInt16()));
                    info.RoleSelections.Add(new DicomRoleSelection(uid, sub.Byte() == 1, sub.Byte() == 1));
                    break;
                case PduItemType.UserIdentityRequest:
                    var identityType = (DicomUserIdentityType)sub.Byte();
                    var positive = sub.Byte() == 1;
                    var primary = sub.Bytes(sub.UInt16()).ToArray();
                    var secondary = sub.Remaining >= 2 ? sub.Bytes(sub.UInt16()).ToArray() : [];
                    info.UserIdentity = new DicomUserIdentity(identityType, positive, primary, secondary);
                    break;
                case PduItemType.UserIdentityAccept:
                    info.UserIdentityServerResponse = sub.Bytes(sub.UInt16()).ToArray();
                    break;
                default:
                    // Extended negotiation (0x56, 0x57) and unknown sub-items: not supported, so not answered.
                    break;
            }
        }

        return info;
    }
}
