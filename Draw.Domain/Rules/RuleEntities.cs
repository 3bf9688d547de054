using Draw.Domain.Templates;

namespace Draw.Domain.Rules;

/// <summary>
/// A rule group decides one template: when its rulesets hold for a series, the series gets the
/// group's template. Rulesets join with AND/OR, AND binding tighter than OR.
/// </summary>
public sealed class RuleGroup
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public long TemplateId { get; set; }

    public Template? Template { get; set; }

    /// <summary>
    /// Optional tie-break: when several groups match and all of them have a priority, the lowest
    /// number wins if no other matching group shares it. Null: this group never wins a tie.
    /// </summary>
    public int? Priority { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public List<RuleSet> RuleSets { get; } = [];
}

/// <summary>An ordered list of rules joined with AND/OR.</summary>
public sealed class RuleSet
{
    public long Id { get; set; }

    public long RuleGroupId { get; set; }

    public int Order { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>How this ruleset joins the one before it (ignored for the first).</summary>
    public RuleJoin Join { get; set; }

    public List<Rule> Rules { get; } = [];
}

/// <summary>A test of one DICOM attribute: tag path, operator, value.</summary>
public sealed class Rule
{
    public long Id { get; set; }

    public long RuleSetId { get; set; }

    public int Order { get; set; }

    /// <summary>Canonical tag path, e.g. "(0008,0060)" or "(0008,1032)[0](0008,0100)".</summary>
    public required string TagPath { get; set; }

    public RuleOperator Operator { get; set; }

    public string Value { get; set; } = "";

    /// <summary>How this rule joins the one before it (ignored for the first).</summary>
    public RuleJoin Join { get; set; }
}
