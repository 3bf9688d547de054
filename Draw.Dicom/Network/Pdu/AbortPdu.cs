namespace Draw.Dicom.Network.Pdu;

/// <summary>Who initiated an A-ABORT (PS3.8 9.3.8).</summary>
public enum AbortSource : byte
{
    ServiceUser = 0,
    Reserved = 1,
    ServiceProvider = 2,
}

/// <summary>Why the service provider aborted (PS3.8 9.3.8); meaningful only when the source is the provider.</summary>
public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>The A-ABORT PDU: 4 bytes after the header (reserved, reserved, source, reason).</summary>
public static class AbortPdu
{
    public static byte[] Encode(AbortSource source, AbortReason reason)
    {
        var pdu = new byte[PduHeader.Size + 4];
        PduHeader.Write(pdu, PduType.Abort, 4);
        pdu[8] = (byte)source;
        pdu[9] = (byte)reason;
        return pdu;
    }

    public static (AbortSource Source, AbortReason Reason) Decode(ReadOnlySpan<byte> body) =>
        body.Length >= 4 ? ((AbortSource)body[2], (AbortReason)body[3]) : (AbortSource.ServiceProvider, AbortReason.NotSpecified);
}

/// <summary>The A-RELEASE-RQ and A-RELEASE-RP PDUs: 4 reserved bytes after the header (PS3.8 9.3.6, 9.3.7).</summary>
public static class ReleasePdu
{
    public static byte[] Encode(PduType type)
    {
        var pdu = new byte[PduHeader.Size + 4];
        PduHeader.Write(pdu, type, 4);
        return pdu;
    }
}
