namespace Draw.Dicom.Network.Pdu;

/// <summary>
/// The peer broke the upper layer protocol (a malformed or unexpected PDU, a length beyond what was agreed).
/// Carries the A-ABORT reason to send, so the side that catches it can tell the peer why.
/// </summary>
public sealed class DicomProtocolException : Exception
{
    public DicomProtocolException(string message, AbortReason reason = AbortReason.InvalidPduParameterValue)
        : base(message)
    {
        Reason = reason;
    }

    public DicomProtocolException()
        : this("DICOM upper layer protocol error")
    {
    }

    public DicomProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = AbortReason.InvalidPduParameterValue;
    }

    public AbortReason Reason { get; }
}
