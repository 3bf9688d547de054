namespace Draw.Domain.Index;

/// <summary>
/// Where a series stands. The DRAW client's thirteen statuses, plus Receiving (not yet stable) and
/// Cancelled. Stored by name, so the numbers may be reordered freely.
/// </summary>
public enum SeriesStatus
{
    Receiving,
    Unprocessed,
    RuleMatched,
    RuleNotMatched,
    MultipleRulesMatched,
    DeidentifiedSuccessfully,
    DeidentificationFailed,
    PendingTransferToDrawServer,
    SentToDrawServer,
    FailedTransferToDrawServer,
    InvalidRtStructureReceived,
    RtStructureReceived,
    RtStructureExported,
    RtStructureExportFailed,
    Cancelled,
}

public static class SeriesStatusText
{
    /// <summary>The wording users know from the DRAW client.</summary>
    public static string Display(this SeriesStatus status) => status switch
    {
        SeriesStatus.Receiving => "Receiving",
        SeriesStatus.Unprocessed => "Unprocessed",
        SeriesStatus.RuleMatched => "Rule Matched",
        SeriesStatus.RuleNotMatched => "Rule Not Matched",
        SeriesStatus.MultipleRulesMatched => "Multiple Rules Matched",
        SeriesStatus.DeidentifiedSuccessfully => "Deidentified Successfully",
        SeriesStatus.DeidentificationFailed => "Deidentification Failed",
        SeriesStatus.PendingTransferToDrawServer => "Pending Transfer to Draw Server",
        SeriesStatus.SentToDrawServer => "Sent to Draw Server",
        SeriesStatus.FailedTransferToDrawServer => "Failed Transfer to Draw Server",
        SeriesStatus.InvalidRtStructureReceived => "Invalid RT Structure Received",
        SeriesStatus.RtStructureReceived => "RT Structure Received",
        SeriesStatus.RtStructureExported => "RT Structure Exported",
        SeriesStatus.RtStructureExportFailed => "RT Structure Export Failed",
        SeriesStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    public static bool IsFailure(this SeriesStatus status) => status is SeriesStatus.DeidentificationFailed
        or SeriesStatus.FailedTransferToDrawServer or SeriesStatus.InvalidRtStructureReceived or SeriesStatus.RtStructureExportFailed;
}
