namespace Draw.Dicom.Network.Association;

/// <summary>A-ASSOCIATE-RJ result (PS3.8 9.3.4).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source (PS3.8 9.3.4).</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>
/// An A-ASSOCIATE-RJ: result, source and a reason whose meaning depends on the source (PS3.8 Table 9-21).
/// The named instances are the rejections DRAW sends.
/// </summary>
public sealed record DicomRejection(RejectResult Result, RejectSource Source, byte Reason)
{
    public static DicomRejection NoReasonGiven { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 1);

    public static DicomRejection ApplicationContextNotSupported { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 2);

    public static DicomRejection CallingAeNotRecognized { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 3);

    public static DicomRejection CalledAeNotRecognized { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 7);

    public static DicomRejection ProtocolVersionNotSupported { get; } = new(RejectResult.Permanent, RejectSource.ServiceProviderAcse, 2);

    public static DicomRejection TemporaryCongestion { get; } = new(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 1);

    public static DicomRejection LocalLimitExceeded { get; } = new(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 2);

    public string Description => (Source, Reason) switch
    {
        (RejectSource.ServiceUser, 1) => "no reason given",
        (RejectSource.ServiceUser, 2) => "application context name not supported",
        (RejectSource.ServiceUser, 3) => "calling AE title not recognized",
        (RejectSource.ServiceUser, 7) => "called AE title not recognized",
        (RejectSource.ServiceProviderAcse, 1) => "no reason given (ACSE)",
        (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
        (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
        (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
        _ => $"reason {Reason}",
    };

    public override string ToString() => $"{Result.ToString().ToLowerInvariant()} rejection by {Source}: {Description}";
}

/// <summary>The acceptor refused the association (A-ASSOCIATE-RJ).</summary>
public sealed class DicomAssociationRejectedException : Exception
{
    public DicomAssociationRejectedException(DicomRejection rejection)
        : base($"association rejected: {rejection}")
    {
        Rejection = rejection;
    }

    public DicomAssociationRejectedException()
        : this(DicomRejection.NoReasonGiven)
    {
    }

    public DicomAssociationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rejection = DicomRejection.NoReasonGiven;
    }

    public DicomRejection Rejection { get; }
}

/// <summary>The peer (or the provider) aborted the association (A-ABORT), or the connection dropped.</summary>
public sealed class DicomAssociationAbortedException : Exception
{
    public DicomAssociationAbortedException(string message, Pdu.AbortSource source = Pdu.AbortSource.ServiceProvider, Pdu.AbortReason reason = Pdu.AbortReason.NotSpecified)
        : base(message)
    {
        AbortSource = source;
        Reason = reason;
    }

    public DicomAssociationAbortedException()
        : this("association aborted")
    {
    }

    public DicomAssociationAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Pdu.AbortSource AbortSource { get; }

    public Pdu.AbortReason Reason { get; }
}
