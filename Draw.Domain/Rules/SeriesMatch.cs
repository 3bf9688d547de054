using Draw.Domain.Templates;

namespace Draw.Domain.Rules;

/// <summary>How a series got (or did not get) its template.</summary>
public enum MatchOutcome
{
    /// <summary>No rule group matched.</summary>
    NoMatch,

    /// <summary>Exactly one group matched (or a priority broke a tie).</summary>
    Matched,

    /// <summary>Several groups matched and no priority decided: a person picks.</summary>
    MultipleMatched,

    /// <summary>A person chose the template.</summary>
    Chosen,
}

/// <summary>
/// The template decision for one series: which template it gets, how that was decided, and which
/// rule groups, rulesets and rules matched (JSON, for display). One row per series, replaced by
/// every new decision; the change feed keeps the history.
/// </summary>
public sealed class SeriesMatch
{
    public long Id { get; set; }

    public long SeriesId { get; set; }

    public long? TemplateId { get; set; }

    public Template? Template { get; set; }

    /// <summary>The rule group that decided it (null for none, several, or a person's choice).</summary>
    public long? RuleGroupId { get; set; }

    public MatchOutcome Outcome { get; set; }

    /// <summary>JSON array of the matched groups: [{group, name, template, priority, ruleSets: [{id, name, rules: [positions]}]}].</summary>
    public string Matches { get; set; } = "[]";

    /// <summary>"rules", or the user who chose or changed it.</summary>
    public required string DecidedBy { get; set; }

    public DateTime DecidedAt { get; set; }

    public string? Reason { get; set; }
}
