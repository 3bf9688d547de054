namespace Draw.Domain.Index;

/// <summary>
/// Which manual actions a status allows: the dashboard offers only those, and
/// <see cref="Rules.SeriesDecisions"/> (the worker, which has the last word) refuses the others.
/// </summary>
public static class SeriesActions
{
    /// <summary>
    /// A template can be chosen (and the series sent) once it is complete. A person may send an exported
    /// series again (another template, a new model): a new job makes a new RTSTRUCT; the page asks first.
    /// </summary>
    public static bool CanSend(this SeriesStatus status) => status is not SeriesStatus.Receiving;

    public static bool CanRetry(this SeriesStatus status) =>
        status.IsFailure() || status is SeriesStatus.Cancelled or SeriesStatus.RuleNotMatched or SeriesStatus.MultipleRulesMatched;

    public static bool CanCancel(this SeriesStatus status) => status is not (SeriesStatus.RtStructureExported or SeriesStatus.Cancelled);
}
