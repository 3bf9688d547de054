namespace Draw.Dicom.Network.Association;

/// <summary>The result of negotiating one presentation context (PS3.8 9.3.3.2).</summary>
public enum PresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    ProviderRejectionNoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
    /// <summary>Not on the wire: the context was proposed and no answer has been received yet.</summary>
    Proposed = 0xFF,
}

/// <summary>
/// One presentation context: an abstract syntax (SOP class) with the transfer syntaxes proposed for it in
/// preference order, and, once negotiated, the result and the single accepted transfer syntax.
/// </summary>
public sealed class DicomPresentationContext
{
    public DicomPresentationContext(byte id, string abstractSyntax, params IEnumerable<string> transferSyntaxes)
    {
        ArgumentNullException.ThrowIfNull(abstractSyntax);
        ArgumentNullException.ThrowIfNull(transferSyntaxes);
        if ((id & 1) == 0)
        {
            // PS3.8 9.3.2.2: presentation context IDs are odd integers 1-255.
            throw new ArgumentOutOfRangeException(nameof(id), id, "presentation context IDs are odd");
        }

        Id = id;
        AbstractSyntax = abstractSyntax;
        ProposedTransferSyntaxes = [.. transferSyntaxes];
    }

    public byte Id { get; }

    public string AbstractSyntax { get; }

    public IReadOnlyList<string> ProposedTransferSyntaxes { get; }

    public PresentationContextResult Result { get; internal set; } = PresentationContextResult.Proposed;

    /// <summary>The transfer syntax the acceptor chose, when the context was accepted.</summary>
    public string? AcceptedTransferSyntax { get; internal set; }

    public bool IsAccepted => Result == PresentationContextResult.Acceptance && AcceptedTransferSyntax is not null;

    internal void Accept(string transferSyntax)
    {
        Result = PresentationContextResult.Acceptance;
        AcceptedTransferSyntax = transferSyntax;
    }

    internal void Reject(PresentationContextResult result)
    {
        Result = result;
        AcceptedTransferSyntax = null;
    }

    public override string ToString() => $"#{Id} {AbstractSyntax} {Result} {AcceptedTransferSyntax}";
}
