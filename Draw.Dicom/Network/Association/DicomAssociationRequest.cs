namespace Draw.Dicom.Network.Association;

/// <summary>
/// What is negotiated when an association is opened: the A-ASSOCIATE-RQ as sent or received, and after an
/// A-ASSOCIATE-AC the results of each presentation context and the acceptor's user information.
/// </summary>
public sealed class DicomAssociationRequest
{
    /// <summary>The DICOM application context name (PS3.7 A.2.1), the only one in use.</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    public DicomAssociationRequest(string callingAeTitle, string calledAeTitle)
    {
        CallingAeTitle = callingAeTitle;
        CalledAeTitle = calledAeTitle;
    }

    public string CallingAeTitle { get; }

    public string CalledAeTitle { get; }

    public string ApplicationContextName { get; set; } = DicomApplicationContext;

    public ushort ProtocolVersion { get; set; } = 1;

    public IList<DicomPresentationContext> PresentationContexts { get; } = [];

    public DicomUserInformation UserInformation { get; set; } = new();

    public DicomPresentationContext? FindContext(byte id)
    {
        foreach (var pc in PresentationContexts)
        {
            if (pc.Id == id)
            {
                return pc;
            }
        }

        return null;
    }

    /// <summary>Adds a context with the next free odd ID.</summary>
    public DicomPresentationContext AddContext(string abstractSyntax, params IEnumerable<string> transferSyntaxes)
    {
        var next = PresentationContexts.Count == 0 ? 1 : PresentationContexts.Max(p => p.Id) + 2;
        if (next > 255)
        {
            throw new InvalidOperationException("an association carries at most 128 presentation contexts");
        }

        var pc = new DicomPresentationContext((byte)next, abstractSyntax, transferSyntaxes);
        PresentationContexts.Add(pc);
        return pc;
    }
}
