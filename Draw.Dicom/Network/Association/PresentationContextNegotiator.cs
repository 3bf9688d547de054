using Draw.Dicom.Core;
using Draw.Dicom.Network.Dimse;

namespace Draw.Dicom.Network.Association;

/// <summary>
/// The acceptor's side of presentation context negotiation (PS3.8 9.3.3.2, PS3.7 D.3.2): verification in any
/// uncompressed syntax, every storage SOP class in every registered transfer syntax (data sets are stored as
/// received, so no codec is needed), anything else refused as an unsupported abstract syntax.
/// </summary>
public sealed class PresentationContextNegotiator
{
    private readonly IReadOnlyList<string>? _preference;
    private readonly HashSet<string> _extraSopClasses;

    /// <param name="transferSyntaxPreference">Our order of preference; null keeps the proposer's order, which keeps
    /// each data set in the syntax the sender chose first (normally its own).</param>
    /// <param name="additionalStorageSopClasses">Private or newer storage SOP classes to accept as well.</param>
    public PresentationContextNegotiator(IReadOnlyList<string>? transferSyntaxPreference = null, IEnumerable<string>? additionalStorageSopClasses = null)
    {
        _preference = transferSyntaxPreference;
        _extraSopClasses = new HashSet<string>(additionalStorageSopClasses ?? [], StringComparer.Ordinal);
    }

    public bool IsStorage(string abstractSyntax) => DimseSopClasses.IsStorage(abstractSyntax) || _extraSopClasses.Contains(abstractSyntax);

    /// <summary>Sets the result of every proposed context of the request.</summary>
    public void Negotiate(DicomAssociationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var pc in request.PresentationContexts)
        {
            Func<DicomTransferSyntax, bool>? canUse = pc.AbstractSyntax switch
            {
                DimseSopClasses.Verification => static ts => !ts.IsEncapsulated && !ts.IsDeflated,
                var s when IsStorage(s) => static _ => true,
                _ => null,
            };
            if (canUse is null)
            {
                pc.Reject(PresentationContextResult.AbstractSyntaxNotSupported);
                continue;
            }

            var chosen = Choose(pc.ProposedTransferSyntaxes, uid => DicomTransferSyntax.Lookup(uid) is { IsUnknown: false } ts && canUse(ts));
            if (chosen is null)
            {
                pc.Reject(PresentationContextResult.TransferSyntaxesNotSupported);
            }
            else
            {
                pc.Accept(chosen);
            }
        }
    }

    private string? Choose(IReadOnlyList<string> proposed, Func<string, bool> usable)
    {
        if (_preference is not null)
        {
            foreach (var preferred in _preference)
            {
                if (proposed.Contains(preferred) && usable(preferred))
                {
                    return preferred;
                }
            }
        }

        foreach (var uid in proposed)
        {
            if (usable(uid))
            {
                return uid;
            }
        }

        return null;
    }
}
