using Draw.Dicom.Core;

namespace Draw.Domain.Rules;

/// <summary>What the rule editor knows about the tag a rule names: the path, its dictionary entry and the operators its VR allows.</summary>
public sealed record RuleTagInfo(TagPath? Path, string? Problem, string Keyword, string Name, string VR, IReadOnlyList<RuleOperator> Operators);

/// <summary>
/// The rule editor's helpers: a saved group as a draft, what a typed tag resolves to, and each
/// rule's own problem (the same checks saving applies, for inline messages).
/// </summary>
public static class RuleEditing
{
    /// <summary>The draft that saves this group unchanged; tags in keyword form where the dictionary has one.</summary>
    public static RuleGroupDraft ToDraft(this RuleGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new RuleGroupDraft
        {
            Name = group.Name,
            Description = group.Description,
            TemplateId = group.TemplateId,
            Priority = group.Priority,
            Enabled = group.Enabled,
            RuleSets =
            [
                .. group.RuleSets.OrderBy(s => s.Order).Select(s => new RuleSetDraft(
                    s.Name,
                    [.. s.Rules.OrderBy(r => r.Order).Select(r => new RuleDraft(EditableTag(r.TagPath), r.Operator, r.Value, r.Join))],
                    s.Join,
                    s.Description)),
            ],
        };
    }

    /// <summary>The tag as the editor's input shows it: keywords when the path parses, else as stored.</summary>
    public static string EditableTag(string? tagPath) =>
        TagPath.TryParse(tagPath, out var path, out _) ? path.Keywords : tagPath ?? "";

    /// <summary>What the tag resolves to; unknown and private tags allow every operator.</summary>
    public static RuleTagInfo DescribeTag(string? tag)
    {
        if (!TagPath.TryParse(tag, out var path, out var error))
        {
            return new RuleTagInfo(null, error, "", "", "", Enum.GetValues<RuleOperator>());
        }

        var vr = RuleValueRules.VROf(path);
        var entry = path.Entry;
        return new RuleTagInfo(path, null, entry?.Keyword ?? "", entry?.Name ?? "not in the dictionary", vr == DicomVR.None ? "" : vr.Code(), RuleValueRules.OperatorsFor(vr));
    }

    /// <summary>Why this rule would be refused on saving, or null; the message names the tag, its VR and the rule broken.</summary>
    public static string? CheckRule(string? tag, RuleOperator op, string? value)
    {
        if (!TagPath.TryParse(tag, out var path, out var error))
        {
            return error;
        }

        return RuleValueRules.Check(path, op, op.TakesNoValue() ? "" : value?.Trim() ?? "");
    }

    /// <summary>The grouping of a list joined with AND/OR, with parentheses where AND binds first, e.g. "[CT] OR ([MR] AND [head])".</summary>
    public static string Grouping(IReadOnlyList<string> names, IReadOnlyList<RuleJoin> joins) => Precedence.Describe(names, joins);

    /// <summary>
    /// Splits positions 0..n-1 into AND-runs: each run is a group the editor draws together; runs are
    /// joined by OR. The first item's join is ignored.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> AndRuns(IReadOnlyList<RuleJoin> joins)
    {
        ArgumentNullException.ThrowIfNull(joins);
        var runs = new List<List<int>>();
        for (var i = 0; i < joins.Count; i++)
        {
            if (i == 0 || joins[i] == RuleJoin.Or)
            {
                runs.Add([]);
            }

            runs[^1].Add(i);
        }

        return runs;
    }
}
