using System.Net;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Dimse;

namespace Draw.Dicom.Network.Server;

/// <summary>How an association ended.</summary>
public enum DicomAssociationOutcome
{
    Released,
    /// <summary>The peer sent A-ABORT, or the connection dropped without a release.</summary>
    AbortedByPeer,
    /// <summary>We aborted it: a protocol error, a timeout, or the server stopping.</summary>
    AbortedByUs,
    Rejected,
}

/// <summary>Who is on the other end of an association.</summary>
public sealed record DicomAssociationInfo(long Id, string CallingAeTitle, string CalledAeTitle, EndPoint? RemoteEndPoint, DateTimeOffset StartedAt);

public sealed class DicomAssociationAcceptedEventArgs(DicomAssociationInfo association, int acceptedContexts) : EventArgs
{
    public DicomAssociationInfo Association { get; } = association;

    public int AcceptedContexts { get; } = acceptedContexts;
}

public sealed class DicomAssociationRejectedEventArgs(EndPoint? remoteEndPoint, string callingAeTitle, string calledAeTitle, DicomRejection rejection) : EventArgs
{
    public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

    public string CallingAeTitle { get; } = callingAeTitle;

    public string CalledAeTitle { get; } = calledAeTitle;

    public DicomRejection Rejection { get; } = rejection;
}

/// <summary>The summary of an association for logs and the dashboard.</summary>
public sealed class DicomAssociationClosedEventArgs : EventArgs
{
    public required DicomAssociationInfo Association { get; init; }

    public required DicomAssociationOutcome Outcome { get; init; }

    /// <summary>Why it ended when it was not a release (no patient data: protocol terms only).</summary>
    public string? Reason { get; init; }

    public int InstancesStored { get; init; }

    public int InstancesFailed { get; init; }

    public long BytesReceived { get; init; }

    public TimeSpan Duration { get; init; }
}

public sealed class DicomInstanceStoredEventArgs(DicomAssociationInfo association, DicomIncomingInstance instance, DicomStatus status, string? path) : EventArgs
{
    public DicomAssociationInfo Association { get; } = association;

    public DicomIncomingInstance Instance { get; } = instance;

    public DicomStatus Status { get; } = status;

    /// <summary>Where the file was kept, or null when it was refused.</summary>
    public string? Path { get; } = path;
}
