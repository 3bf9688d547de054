namespace Draw.Testing.FakeDraw;

/// <summary>How a <see cref="FakeDrawServer"/> starts: its path prefix, tokens and segmentation.</summary>
public sealed class FakeDrawServerOptions
{
    /// <summary>A path prefix the API lives under, e.g. "/draw" (empty: the root).</summary>
    public string PathBase { get; init; } = "";

    /// <summary>Lifetime of every access token the server issues (the initial one included).</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Issue access tokens as JWTs carrying an exp claim (else opaque strings).</summary>
    public bool JwtAccessTokens { get; init; }

    /// <summary>Leave expires_in out of refresh answers (the client must read the JWT or refresh on 401).</summary>
    public bool OmitExpiresIn { get; init; }

    /// <summary>A refresh issues a new refresh token and revokes the old one.</summary>
    public bool RotateRefreshTokens { get; init; } = true;

    /// <summary>
    /// The segmentation: the folder holding the de-identified series and autosegmentation_template.yml,
    /// and the path the RTSTRUCT must be written to. Null: <see cref="FakeSegmentation.MakeRtStructAsync"/>.
    /// </summary>
    public Func<string, string, CancellationToken, Task>? Segmenter { get; init; }

    /// <summary>The catalogue GET /api/models/ answers (null: <see cref="FakeCatalogue.Json"/>).</summary>
    public string? CatalogueJson { get; init; }

    /// <summary>The confirmation answer's message on success (the real server's text by default).</summary>
    public string ConfirmationMessage { get; init; } = "Transfer confirmation received, files cleaned up";
}

/// <summary>
/// Failure switches, settable at any time while the server runs. Counters (Busy, ServerErrors,
/// FailConfirmation) count down as the failures are served.
/// </summary>
public sealed class FakeDrawServerSwitches
{
    private int busy;
    private int busyUploads;
    private int serverErrors;
    private int failConfirmation;
    private long expiredBefore;

    /// <summary>The next n health checks and uploads answer 503.</summary>
    public int Busy
    {
        get => Volatile.Read(ref busy);
        set => Volatile.Write(ref busy, value);
    }

    /// <summary>The next n uploads answer 503 while the health check says ready (the server filled up in between).</summary>
    public int BusyUploads
    {
        get => Volatile.Read(ref busyUploads);
        set => Volatile.Write(ref busyUploads, value);
    }

    /// <summary>The Retry-After a 503 carries (none when null).</summary>
    public TimeSpan? BusyRetryAfter { get; set; }

    /// <summary>Setting it expires every access token issued so far: 401 until the client refreshes.</summary>
    public bool ExpireTokens
    {
        get => Interlocked.Read(ref expiredBefore) > 0;
        set => Interlocked.Exchange(ref expiredBefore, value ? TokenSequence.Current + 1 : 0);
    }

    /// <summary>Every bearer token is refused, fresh ones too (a client's tokens were revoked).</summary>
    public bool RejectAllTokens { get; set; }

    /// <summary>The refresh endpoint refuses every refresh token (401).</summary>
    public bool RefuseRefresh { get; set; }

    /// <summary>The next n API answers (any endpoint but the token refresh) are 500.</summary>
    public int ServerErrors
    {
        get => Volatile.Read(ref serverErrors);
        set => Volatile.Write(ref serverErrors, value);
    }

    /// <summary>Every answer waits this long first (the wait ends if the client goes away).</summary>
    public TimeSpan SlowAnswers { get; set; }

    /// <summary>Downloads carry an X-File-Checksum that does not match the body.</summary>
    public bool WrongChecksum { get; set; }

    /// <summary>Downloads send the checksum in upper case (clients must compare ignoring case).</summary>
    public bool UpperCaseChecksum { get; set; }

    /// <summary>Downloads send no X-File-Checksum at all.</summary>
    public bool OmitChecksum { get; set; }

    /// <summary>Downloads return one of the uploaded CT images instead of the RTSTRUCT.</summary>
    public bool NotAnRtStruct { get; set; }

    /// <summary>Downloads return an RTSTRUCT that references another series.</summary>
    public bool WrongSeries { get; set; }

    /// <summary>Status, download and confirmation answer 404 for every task.</summary>
    public bool TaskNotFound { get; set; }

    /// <summary>The next n confirmations answer 200 with a message other than the expected one.</summary>
    public int FailConfirmation
    {
        get => Volatile.Read(ref failConfirmation);
        set => Volatile.Write(ref failConfirmation, value);
    }

    /// <summary>Segmentations end with status FAILED and an error.</summary>
    public bool FailSegmentation { get; set; }

    /// <summary>Uploads answer transaction_token instead of task_id (the v1 server).</summary>
    public bool AnswerTransactionToken { get; set; }

    /// <summary>How long a task stays "Queued" and then "Processing" before the segmentation runs.</summary>
    public TimeSpan QueuedDelay { get; set; }

    public TimeSpan ProcessingDelay { get; set; }

    internal long ExpiredBefore => Interlocked.Read(ref expiredBefore);

    internal bool TakeBusy() => TakeOne(ref busy);

    internal bool TakeBusyUpload() => TakeOne(ref busyUploads);

    internal bool TakeServerError() => TakeOne(ref serverErrors);

    internal bool TakeFailConfirmation() => TakeOne(ref failConfirmation);

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}

/// <summary>Orders issued tokens, so "expire every token issued so far" is one number.</summary>
internal static class TokenSequence
{
    private static long current;

    public static long Current => Interlocked.Read(ref current);

    public static long Next() => Interlocked.Increment(ref current);
}
