namespace Draw.Domain.Index;

/// <summary>
/// Which manual actions a status allows, for the dashboard to offer only those. The same conditions
/// as <see cref="Rules.SeriesDecisions"/>, which the worker applies and which has the last word.
/// </summary>
public static class SeriesActions
{
    /// <summary>A template can be chosen (and the series sent) once it is complete and until its result is exported.</summary>
    public static bool CanSend(this SeriesStatus status) => status is not (SeriesStatus.Receiving or SeriesStatus.RtStructureExported);

    public static bool CanRetry(this SeriesStatus status) =>
        status.IsFailure() || status is SeriesStatus.Cancelled or SeriesStatus.RuleNotMatched or SeriesStatus.MultipleRulesMatched;

    public static bool CanCancel(this SeriesStatus status) => status is not (SeriesStatus.RtStructureExported or SeriesStatus.Cancelled);
}
