namespace Draw.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE message as received: the command, the presentation context it came on, and when a data set
/// followed, the stream it was written to (chosen by the receiver when the command arrived) and its length.
/// </summary>
public sealed record DimseMessage(byte PresentationContextId, DicomCommand Command, Stream? Data, long DataLength);

/// <summary>What the upper layer delivered next on an established association.</summary>
public enum UpperLayerEventKind
{
    Message,
    ReleaseRequest,
    ReleaseResponse,
    Abort,
    /// <summary>The transport closed between PDUs without a release or abort.</summary>
    Closed,
}

public sealed record UpperLayerEvent(UpperLayerEventKind Kind, DimseMessage? Message = null, Pdu.AbortSource AbortSource = default, Pdu.AbortReason AbortReason = default)
{
    public static UpperLayerEvent ReleaseRequested { get; } = new(UpperLayerEventKind.ReleaseRequest);

    public static UpperLayerEvent ReleaseResponded { get; } = new(UpperLayerEventKind.ReleaseResponse);

    public static UpperLayerEvent ConnectionClosed { get; } = new(UpperLayerEventKind.Closed);
}

/// <summary>Chooses where the data set of an incoming message goes, once its command is known.</summary>
public delegate ValueTask<Stream> DimseDataSinkFactory(byte presentationContextId, DicomCommand command, CancellationToken cancellationToken);
