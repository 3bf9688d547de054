using System.Net;
using Microsoft.Extensions.Logging;

namespace Draw.Dicom.Network.Server;

/// <summary>The SCP's log lines. AE titles, addresses, counts and durations only; UIDs at debug level; never patient data.</summary>
internal static partial class DicomServerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM SCP {AeTitle} listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string aeTitle, EndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM SCP {AeTitle} stopped")]
    public static partial void Stopped(ILogger logger, string aeTitle);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association {Id} accepted: {CallingAe} -> {CalledAe} from {Peer}, {Accepted}/{Proposed} presentation contexts")]
    public static partial void Accepted(ILogger logger, long id, string callingAe, string calledAe, EndPoint? peer, int accepted, int proposed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association from {Peer} ({CallingAe} -> {CalledAe}) rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, EndPoint? peer, string callingAe, string calledAe, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association {Id} {Outcome} after {Duration} ms: {Stored} stored, {Failed} failed, {Bytes} bytes from {Peer}{Reason}")]
    public static partial void Closed(ILogger logger, long id, string outcome, long duration, int stored, int failed, long bytes, EndPoint? peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection from {Peer} closed before association: {Reason}")]
    public static partial void PreAssociationFailure(ILogger logger, EndPoint? peer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association {Id} with {Peer} aborted by us: {Reason}")]
    public static partial void AbortedByUs(ILogger logger, long id, EndPoint? peer, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Association {Id}: C-STORE {SopInstanceUid} ({SopClassUid}, {TransferSyntax}) {Bytes} bytes -> {Status}")]
    public static partial void Stored(ILogger logger, long id, string sopInstanceUid, string sopClassUid, string transferSyntax, long bytes, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association {Id}: the store handler failed for an instance; answering failure")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association {Id}: {Command} is not supported here; answering 'unrecognized operation'")]
    public static partial void UnsupportedCommand(ILogger logger, long id, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An association event handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The accept loop of {AeTitle} failed")]
    public static partial void AcceptLoopFailed(ILogger logger, Exception exception, string aeTitle);
}
