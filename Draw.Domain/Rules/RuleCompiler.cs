using Draw.Dicom.Core;

namespace Draw.Domain.Rules;

/// <summary>A rule group could not be compiled; <see cref="Errors"/> names each rule's problem.</summary>
public sealed class RuleValidationException(IReadOnlyList<string> errors)
    : Exception("The rule group is not valid: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>The outcome of one rule, with the values found (for the editor's Test button).</summary>
public sealed record RuleResult(long? RuleId, int Position, string Tag, RuleOperator Operator, string Value, RuleJoin Join, bool Matched, IReadOnlyList<string> Found, string? Note);

public sealed record RuleSetResult(long? RuleSetId, string Name, RuleJoin Join, bool Matched, string Expression, IReadOnlyList<RuleResult> Rules);

public sealed record RuleGroupResult(long? RuleGroupId, string Name, long TemplateId, int? Priority, bool Matched, string Expression, IReadOnlyList<RuleSetResult> RuleSets);

/// <summary>
/// AND/OR with ordinary precedence: AND binds tighter than OR. A sequence
/// <c>a AND b OR c AND d</c> means <c>(a AND b) OR (c AND d)</c>; it is true when every item of
/// at least one AND-run is true. An empty sequence is false.
/// </summary>
public static class Precedence
{
    public static bool Combine(ReadOnlySpan<bool> values, ReadOnlySpan<RuleJoin> joins)
    {
        if (values.Length == 0)
        {
            return false;
        }

        var run = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0 && joins[i] == RuleJoin.Or)
            {
                if (run)
                {
                    return true;
                }

                run = true;
            }

            run &= values[i];
        }

        return run;
    }

    /// <summary>The expression with the grouping made visible, e.g. "(A AND B) OR C".</summary>
    public static string Describe(IReadOnlyList<string> names, IReadOnlyList<RuleJoin> joins)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(joins);
        var runs = new List<List<string>>();
        for (var i = 0; i < names.Count; i++)
        {
            if (i == 0 || joins[i] == RuleJoin.Or)
            {
                runs.Add([]);
            }

            runs[^1].Add(names[i]);
        }

        return string.Join(" OR ", runs.Select(r => r.Count > 1 && runs.Count > 1 ? $"({string.Join(" AND ", r)})" : string.Join(" AND ", r)));
    }
}

/// <summary>A ruleset ready to evaluate.</summary>
public sealed class CompiledRuleSet
{
    private readonly RuleJoin[] joins;

    internal CompiledRuleSet(long? id, string name, RuleJoin join, CompiledRule[] rules)
    {
        Id = id;
        Name = name;
        Join = join;
        Rules = rules;
        joins = [.. rules.Select(r => r.Join)];
    }

    public long? Id { get; }

    public string Name { get; }

    public RuleJoin Join { get; }

    public IReadOnlyList<CompiledRule> Rules { get; }

    public bool IsMatch(DicomDataset dataset)
    {
        // Short-circuit through the AND-runs: the first run whose rules all hold decides.
        var run = true;
        var any = false;
        for (var i = 0; i < Rules.Count; i++)
        {
            if (i > 0 && joins[i] == RuleJoin.Or)
            {
                if (run)
                {
                    return true;
                }

                run = true;
            }

            if (run)
            {
                run = Rules[i].Evaluate(dataset);
            }

            any = true;
        }

        return any && run;
    }

    public RuleSetResult Evaluate(DicomDataset dataset, bool withValues)
    {
        var results = new RuleResult[Rules.Count];
        Span<bool> values = Rules.Count <= 64 ? stackalloc bool[Rules.Count] : new bool[Rules.Count];
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var found = withValues ? new List<string>() : null;
            values[i] = rule.Evaluate(dataset, found, out var note);
            results[i] = new RuleResult(rule.Id, i + 1, rule.Path.Display, rule.Operator, rule.Value, rule.Join, values[i], found ?? [], note);
        }

        var expression = Precedence.Describe([.. Enumerable.Range(1, Rules.Count).Select(n => $"rule {n}")], joins);
        return new RuleSetResult(Id, Name, Join, Precedence.Combine(values, joins), expression, results);
    }
}

/// <summary>A rule group ready to evaluate: compile once, evaluate against many headers.</summary>
public sealed class CompiledRuleGroup
{
    private readonly RuleJoin[] joins;

    internal CompiledRuleGroup(long? id, string name, long templateId, int? priority, CompiledRuleSet[] ruleSets)
    {
        Id = id;
        Name = name;
        TemplateId = templateId;
        Priority = priority;
        RuleSets = ruleSets;
        joins = [.. ruleSets.Select(s => s.Join)];
    }

    public long? Id { get; }

    public string Name { get; }

    public long TemplateId { get; }

    public int? Priority { get; }

    public IReadOnlyList<CompiledRuleSet> RuleSets { get; }

    /// <summary>The fast path: whether the group matches, evaluating only what decides it.</summary>
    public bool IsMatch(DicomDataset dataset)
    {
        var run = true;
        for (var i = 0; i < RuleSets.Count; i++)
        {
            if (i > 0 && joins[i] == RuleJoin.Or)
            {
                if (run)
                {
                    return true;
                }

                run = true;
            }

            if (run)
            {
                run = RuleSets[i].IsMatch(dataset);
            }
        }

        return RuleSets.Count > 0 && run;
    }

    /// <summary>Every rule's and ruleset's outcome (and, with <paramref name="withValues"/>, the values found).</summary>
    public RuleGroupResult Evaluate(DicomDataset dataset, bool withValues = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sets = RuleSets.Select(s => s.Evaluate(dataset, withValues)).ToArray();
        var matched = Precedence.Combine([.. sets.Select(s => s.Matched)], joins);
        var expression = Precedence.Describe([.. sets.Select(s => $"[{s.Name}]")], joins);
        return new RuleGroupResult(Id, Name, TemplateId, Priority, matched, expression, sets);
    }
}

/// <summary>Checks and compiles rule groups (saved, or still being edited).</summary>
public static class RuleCompiler
{
    /// <summary>Every problem of the group, each naming the ruleset and rule; empty when it compiles.</summary>
    public static IReadOnlyList<string> Validate(RuleGroup group)
    {
        var errors = new List<string>();
        TryCompile(group, errors);
        return errors;
    }

    public static CompiledRuleGroup Compile(RuleGroup group)
    {
        var errors = new List<string>();
        var compiled = TryCompile(group, errors);
        return errors.Count == 0 ? compiled! : throw new RuleValidationException(errors);
    }

    private static CompiledRuleGroup? TryCompile(RuleGroup group, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (string.IsNullOrWhiteSpace(group.Name))
        {
            errors.Add("name: is empty");
        }

        if (group.RuleSets.Count == 0)
        {
            errors.Add("the group has no ruleset");
        }

        var sets = new List<CompiledRuleSet>();
        var setNumber = 0;
        foreach (var set in group.RuleSets.OrderBy(s => s.Order))
        {
            setNumber++;
            var setName = string.IsNullOrWhiteSpace(set.Name) ? $"ruleset {setNumber}" : set.Name;
            if (set.Rules.Count == 0)
            {
                errors.Add($"{setName}: has no rule");
            }

            var rules = new List<CompiledRule>();
            var ruleNumber = 0;
            foreach (var rule in set.Rules.OrderBy(r => r.Order))
            {
                ruleNumber++;
                var where = $"{setName}, rule {ruleNumber}";
                if (!TagPath.TryParse(rule.TagPath, out var path, out var pathError))
                {
                    errors.Add($"{where}: {pathError}");
                    continue;
                }

                var value = rule.Value?.Trim() ?? "";
                if (RuleValueRules.Check(path, rule.Operator, value) is { } problem)
                {
                    errors.Add($"{where}: {problem}");
                    continue;
                }

                rules.Add(new CompiledRule(rule.Id == 0 ? null : rule.Id, path, rule.Operator, value, ruleNumber == 1 ? RuleJoin.And : rule.Join));
            }

            sets.Add(new CompiledRuleSet(set.Id == 0 ? null : set.Id, setName, setNumber == 1 ? RuleJoin.And : set.Join, [.. rules]));
        }

        return errors.Count == 0 ? new CompiledRuleGroup(group.Id == 0 ? null : group.Id, group.Name, group.TemplateId, group.Priority, [.. sets]) : null;
    }
}
