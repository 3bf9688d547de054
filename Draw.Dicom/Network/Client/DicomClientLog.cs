using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Client;

/// <summary>The SCU's log lines (AE titles, hosts, counts; UIDs at debug level only).</summary>
internal static partial class DicomClientLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Association {CallingAe} -> {CalledAe} at {Host}:{Port} accepted, {Accepted}/{Proposed} presentation contexts, peer max PDU {MaxPdu}")]
    public static partial void Accepted(ILogger logger, string callingAe, string calledAe, string host, int port, int accepted, int proposed, uint maxPdu);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association {CallingAe} -> {CalledAe} at {Host}:{Port} rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string callingAe, string calledAe, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "C-STORE {SopInstanceUid} -> {Status}")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association with {Host}:{Port} aborted: {Reason}")]
    public static partial void Aborted(ILogger logger, string host, int port, string reason);
}
