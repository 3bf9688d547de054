namespace Draw.Worker.Backends.DrawApi;

/// <summary>The DRAW server backend's log messages: task ids, status strings and codes; never tokens or file contents.</summary>
internal static partial class DrawServerLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "DRAW server tokens imported from configuration into the encrypted store (expiry {ExpiresAt})")]
    public static partial void TokensImported(ILogger logger, DateTimeOffset? expiresAt);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "DRAW server bearer token refreshed ({Reason}); new expiry {ExpiresAt}")]
    public static partial void TokenRefreshed(ILogger logger, string reason, DateTimeOffset? expiresAt);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "DRAW server token refresh answered HTTP {StatusCode}")]
    public static partial void TokenRefreshFailed(ILogger logger, int statusCode);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "DRAW server refused the bearer token on {Operation} (HTTP 401); refreshing and retrying once")]
    public static partial void TokenRejected(ILogger logger, string operation);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "The stored DRAW server tokens cannot be read: {Problem}")]
    public static partial void StoredTokensUnreadable(ILogger logger, string problem);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "DRAW server is busy (HTTP 503); health check {Attempt} of {Attempts}, next in {Wait}")]
    public static partial void ServerBusy(ILogger logger, int attempt, int attempts, TimeSpan wait);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Package uploaded to the DRAW server as task {TaskId} ({Bytes} bytes)")]
    public static partial void Submitted(ILogger logger, string taskId, long bytes);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "DRAW server task {TaskId}: status '{Status}' read as {State}")]
    public static partial void StatusRead(ILogger logger, string taskId, string status, string state);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Information, Message = "DRAW server task {TaskId} is unknown to the server (HTTP 404)")]
    public static partial void TaskNotFound(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Information, Message = "RTSTRUCT of DRAW server task {TaskId} downloaded ({Bytes} bytes, checksum {ChecksumState})")]
    public static partial void Downloaded(ILogger logger, string taskId, long bytes, string checksumState);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Information, Message = "RTSTRUCT of DRAW server task {TaskId} already downloaded and verified; not downloading again")]
    public static partial void DownloadReused(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5115, Level = LogLevel.Warning, Message = "RTSTRUCT of DRAW server task {TaskId} does not match its X-File-Checksum; deleted")]
    public static partial void ChecksumMismatch(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5116, Level = LogLevel.Information, Message = "DRAW server task {TaskId} confirmed; the server cleans up")]
    public static partial void Confirmed(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5117, Level = LogLevel.Warning, Message = "DRAW server did not accept the confirmation of task {TaskId} (HTTP {StatusCode}, message '{Message}')")]
    public static partial void ConfirmationRefused(ILogger logger, string taskId, int statusCode, string message);

    [LoggerMessage(EventId = 5118, Level = LogLevel.Warning, Message = "DRAW server {Operation} failed: {Problem}")]
    public static partial void CallFailed(ILogger logger, string operation, string problem);
}
