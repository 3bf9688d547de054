using Draw.Domain.Rules;

namespace Draw.Web.Components.Pages.Rules;

/// <summary>The rule editor's working copy of a group; <see cref="ToDraft"/> is what saving and the Test panel see.</summary>
public sealed class RuleGroupForm
{
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public long? TemplateId { get; set; }

    public int? Priority { get; set; }

    public bool Enabled { get; set; } = true;

    public List<RuleSetForm> RuleSets { get; } = [];

    public static RuleGroupForm From(RuleGroupDraft draft)
    {
        var form = new RuleGroupForm { Name = draft.Name, Description = draft.Description, TemplateId = draft.TemplateId, Priority = draft.Priority, Enabled = draft.Enabled };
        foreach (var set in draft.RuleSets)
        {
            var setForm = new RuleSetForm { Name = set.Name, Description = set.Description, Join = set.Join };
            setForm.Rules.AddRange(set.Rules.Select(r => new RuleForm { Tag = r.Tag, Operator = r.Operator, Value = r.Value ?? "", Join = r.Join }));
            form.RuleSets.Add(setForm);
        }

        return form;
    }

    /// <summary>A new group starts with one ruleset holding one empty rule.</summary>
    public static RuleGroupForm New(long? templateId)
    {
        var form = new RuleGroupForm { TemplateId = templateId };
        form.AddRuleSet();
        return form;
    }

    public void AddRuleSet()
    {
        var set = new RuleSetForm { Name = $"ruleset {RuleSets.Count + 1}", Join = RuleJoin.Or };
        set.Rules.Add(new RuleForm());
        RuleSets.Add(set);
    }

    public RuleGroupDraft ToDraft() => new()
    {
        Name = Name,
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description,
        TemplateId = TemplateId ?? 0,
        Priority = Priority,
        Enabled = Enabled,
        RuleSets = [.. RuleSets.Select(s => new RuleSetDraft(s.Name, [.. s.Rules.Select(r => new RuleDraft(r.Tag, r.Operator, r.Value, r.Join))], s.Join, s.Description))],
    };

    /// <summary>Moves an item one place up (-1) or down (+1) within its list.</summary>
    public static void Move<T>(List<T> list, T item, int delta)
    {
        ArgumentNullException.ThrowIfNull(list);
        var from = list.IndexOf(item);
        var to = from + delta;
        if (from < 0 || to < 0 || to >= list.Count)
        {
            return;
        }

        list.RemoveAt(from);
        list.Insert(to, item);
    }
}

/// <summary>A ruleset as edited.</summary>
public sealed class RuleSetForm
{
    public Guid Key { get; } = Guid.NewGuid();

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>How it joins the ruleset before it (ignored for the first).</summary>
    public RuleJoin Join { get; set; }

    public List<RuleForm> Rules { get; } = [];
}

/// <summary>A rule as edited: the tag as typed (keyword, (gggg,eeee) or a path), the operator and the value.</summary>
public sealed class RuleForm
{
    public Guid Key { get; } = Guid.NewGuid();

    public string Tag { get; set; } = "";

    public RuleOperator Operator { get; set; } = RuleOperator.EqualTo;

    public string Value { get; set; } = "";

    public RuleJoin Join { get; set; }

    /// <summary>An untouched new rule shows no problem yet (saving still reports it).</summary>
    public bool IsBlank => Tag.Length == 0 && Value.Length == 0;
}
