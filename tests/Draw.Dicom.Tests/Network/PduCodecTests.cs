using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;

namespace Draw.Dicom.Tests.Network;

/// <summary>The encoders and decoders on their own: what the interop tests rely on, checked field by field.</summary>
public sealed class PduCodecTests
{
    [Fact]
    public void An_association_request_with_every_user_information_item_round_trips()
    {
        var request = new DicomAssociationRequest("CALLING", "CALLED");
        request.AddContext(DimseSopClasses.Verification, "1.2.840.10008.1.2");
        request.AddContext("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1");
        request.UserInformation.MaximumLength = 32768;
        request.UserInformation.ImplementationClassUid = "1.2.3.4";
        request.UserInformation.ImplementationVersionName = "TEST_1";
        request.UserInformation.AsyncOperationsWindow = new DicomAsyncOperationsWindow(5, 3);
        request.UserInformation.RoleSelections.Add(new DicomRoleSelection("1.2.840.10008.5.1.4.1.1.2", true, false));
        request.UserInformation.UserIdentity = new DicomUserIdentity(DicomUserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "secret"u8.ToArray());

        var pdu = AssociatePduCodec.EncodeRequest(request);
        var header = PduHeader.Parse(pdu);
        var decoded = AssociatePduCodec.DecodeRequest(pdu.AsSpan(PduHeader.Size));

        Assert.Equal(PduType.AssociateRequest, header.PduType);
        Assert.Equal((uint)(pdu.Length - 6), header.Length);
        Assert.Equal("CALLING", decoded.CallingAeTitle);
        Assert.Equal("CALLED", decoded.CalledAeTitle);
        Assert.Equal(DicomAssociationRequest.DicomApplicationContext, decoded.ApplicationContextName);
        Assert.Equal([1, 3], decoded.PresentationContexts.Select(p => (int)p.Id));
        Assert.Equal(["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1"], decoded.PresentationContexts[1].ProposedTransferSyntaxes);
        var info = decoded.UserInformation;
        Assert.Equal(32768u, info.MaximumLength);
        Assert.Equal("1.2.3.4", info.ImplementationClassUid);
        Assert.Equal("TEST_1", info.ImplementationVersionName);
        Assert.Equal(new DicomAsyncOperationsWindow(5, 3), info.AsyncOperationsWindow);
        Assert.Equal(new DicomRoleSelection("1.2.840.10008.5.1.4.1.1.2", true, false), Assert.Single(info.RoleSelections));
        Assert.Equal("alice", info.UserIdentity!.PrimaryFieldText);
        Assert.Equal("secret"u8.ToArray(), info.UserIdentity.SecondaryField);
        Assert.True(info.UserIdentity.PositiveResponseRequested);
    }

    [Fact]
    public void Negotiation_follows_the_proposer_order_unless_a_preference_is_given_and_refuses_what_it_cannot_serve()
    {
        var request = new DicomAssociationRequest("A", "B");
        var ct = request.AddContext("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2", "1.2.840.10008.1.2.1");
        var find = request.AddContext(DimseSopClasses.StudyRootFind, "1.2.840.10008.1.2");
        var echo = request.AddContext(DimseSopClasses.Verification, "1.2.840.10008.1.2.4.50");
        var unknownSyntax = request.AddContext("1.2.840.10008.5.1.4.1.1.4", "1.2.3.4.5.6");

        new PresentationContextNegotiator().Negotiate(request);
        Assert.Equal("1.2.840.10008.1.2", ct.AcceptedTransferSyntax);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, find.Result);
        Assert.Equal(PresentationContextResult.TransferSyntaxesNotSupported, echo.Result);
        Assert.Equal(PresentationContextResult.TransferSyntaxesNotSupported, unknownSyntax.Result);

        new PresentationContextNegotiator(["1.2.840.10008.1.2.1"]).Negotiate(request);
        Assert.Equal("1.2.840.10008.1.2.1", ct.AcceptedTransferSyntax);

        // The accept PDU carries each result, and the requestor reads them back onto its own contexts.
        var sent = new DicomAssociationRequest("A", "B");
        foreach (var pc in request.PresentationContexts)
        {
            sent.AddContext(pc.AbstractSyntax, pc.ProposedTransferSyntaxes);
        }

        var ac = AssociatePduCodec.EncodeAccept(request, new DicomUserInformation { MaximumLength = 1000 });
        var peer = AssociatePduCodec.DecodeAccept(ac.AsSpan(PduHeader.Size), sent);
        Assert.Equal(1000u, peer.MaximumLength);
        Assert.Equal(request.PresentationContexts.Select(p => (p.Result, p.AcceptedTransferSyntax)), sent.PresentationContexts.Select(p => (p.Result, p.AcceptedTransferSyntax)));
    }

    [Fact]
    public void Rejections_and_aborts_encode_their_reasons()
    {
        var rj = AssociatePduCodec.EncodeReject(DicomRejection.CalledAeNotRecognized);
        Assert.Equal([3, 0, 0, 0, 0, 4, 0, 1, 1, 7], rj);
        Assert.Equal(DicomRejection.CalledAeNotRecognized, AssociatePduCodec.DecodeReject(rj.AsSpan(6)));
        Assert.Equal([7, 0, 0, 0, 0, 4, 0, 0, 2, 6], AbortPdu.Encode(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue));
    }

    [Fact]
    public void A_command_set_round_trips_in_implicit_little_endian_with_its_group_length()
    {
        var request = DicomCommand.MoveRequest(7, DimseSopClasses.StudyRootMove, "DEST", DimsePriority.High);
        var bytes = request.Encode();
        Assert.Equal((uint)(bytes.Length - 12), BitConverter.ToUInt32(bytes, 8));
        var decoded = DicomCommand.Decode(bytes);
        Assert.Equal(DimseCommandField.CMoveRequest, decoded.CommandField);
        Assert.Equal(7, decoded.MessageId);
        Assert.Equal("DEST", decoded.MoveDestination);
        Assert.Equal(DimsePriority.High, decoded.Priority);
        Assert.True(decoded.HasDataSet);

        var response = DicomCommand.ResponseTo(decoded, new DicomStatus(0xA801, "unknown destination"));
        var back = DicomCommand.Decode(response.Encode());
        Assert.Equal(7, back.MessageIdBeingRespondedTo);
        Assert.False(back.HasDataSet);
        Assert.Equal(DicomStatusCategory.Failure, back.Status.Category);
        Assert.Equal("unknown destination", back.Status.ErrorComment);
    }

    [Fact]
    public void Hostile_lengths_inside_a_pdu_are_refused_not_allocated()
    {
        var request = new DicomAssociationRequest("A", "B");
        request.AddContext(DimseSopClasses.Verification, "1.2.840.10008.1.2");
        var body = AssociatePduCodec.EncodeRequest(request)[PduHeader.Size..];
        // The user information item's length (just before its maximum length sub-item) set far beyond the PDU.
        var maxLength = body.AsSpan().IndexOf(new byte[] { 0x51, 0x00, 0x00, 0x04 });
        body[maxLength - 2] = 0xFF;
        body[maxLength - 1] = 0xFF;
        Assert.Throws<DicomProtocolException>(() => AssociatePduCodec.DecodeRequest(body));
        Assert.Throws<DicomProtocolException>(() => DicomCommand.Decode([0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0x7F]));
    }

    [Theory]
    [InlineData(0x0000, DicomStatusCategory.Success)]
    [InlineData(0xFF00, DicomStatusCategory.Pending)]
    [InlineData(0xFF01, DicomStatusCategory.Pending)]
    [InlineData(0xFE00, DicomStatusCategory.Cancel)]
    [InlineData(0xB000, DicomStatusCategory.Warning)]
    [InlineData(0x0107, DicomStatusCategory.Warning)]
    [InlineData(0xA700, DicomStatusCategory.Failure)]
    [InlineData(0xC123, DicomStatusCategory.Failure)]
    [InlineData(0x0122, DicomStatusCategory.Failure)]
    public void Status_codes_fall_in_their_categories(int code, DicomStatusCategory category) =>
        Assert.Equal(category, new DicomStatus((ushort)code).Category);
}
