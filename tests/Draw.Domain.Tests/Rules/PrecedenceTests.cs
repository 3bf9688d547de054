using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Rules;
using Draw.Testing.Catalogue;

namespace Draw.Domain.Tests.Rules;

/// <summary>AND binds tighter than OR, between rules and between rulesets (the DRAW client folded left to right instead).</summary>
public sealed class PrecedenceTests
{
    private static readonly Lazy<DicomDataset> Ct = new(() => DicomFile.OpenHeader(SampleSeries.FirstFile(SampleSeries.LungCt)).Dataset);

    // On the LUNG1 CT: A = Modality is CT (true), B = Modality is MR (false), C = Manufacturer is GE (false).
    private static readonly Dictionary<char, RuleDraft> Rules = new()
    {
        ['A'] = new RuleDraft("Modality", RuleOperator.EqualTo, "CT"),
        ['B'] = new RuleDraft("Modality", RuleOperator.EqualTo, "MR"),
        ['C'] = new RuleDraft("Manufacturer", RuleOperator.EqualTo, "GE"),
    };

    [Theory]
    [InlineData("A OR B AND C", true)]   // A OR (B AND C); a left fold would give (A OR B) AND C = false
    [InlineData("A AND B OR C", false)]  // (A AND B) OR C
    [InlineData("B AND C OR A", true)]   // (B AND C) OR A
    [InlineData("B OR A AND C", false)]  // B OR (A AND C)
    [InlineData("A AND C OR A AND A", true)]
    [InlineData("B OR C OR A", true)]
    [InlineData("A AND A AND B", false)]
    public void Rules_combine_with_AND_before_OR(string expression, bool expected)
    {
        var group = Group([Set("set", expression)]);

        var result = RuleCompiler.Compile(group).Evaluate(Ct.Value);

        Assert.Equal(expected, result.Matched);
        Assert.Equal(expected, RuleCompiler.Compile(group).IsMatch(Ct.Value));
    }

    [Fact]
    public void Rulesets_combine_with_AND_before_OR_too()
    {
        // [true] OR [false] AND [false]: true with precedence (false when folded left to right).
        var group = Group([Set("one", "A"), Set("two", "B", RuleJoin.Or), Set("three", "C", RuleJoin.And)]);

        var result = RuleCompiler.Compile(group).Evaluate(Ct.Value);

        Assert.True(result.Matched);
        Assert.True(RuleCompiler.Compile(group).IsMatch(Ct.Value));
        Assert.Equal("[one] OR ([two] AND [three])", result.Expression);
        Assert.Equal([true, false, false], result.RuleSets.Select(s => s.Matched));
    }

    [Fact]
    public void The_editor_shows_the_grouping()
    {
        Assert.Equal("(rule 1 AND rule 2) OR rule 3", Precedence.Describe(["rule 1", "rule 2", "rule 3"], [RuleJoin.And, RuleJoin.And, RuleJoin.Or]));
        Assert.Equal("a OR (b AND c) OR d", Precedence.Describe(["a", "b", "c", "d"], [RuleJoin.And, RuleJoin.Or, RuleJoin.And, RuleJoin.Or]));
        Assert.Equal("a AND b", Precedence.Describe(["a", "b"], [RuleJoin.Or, RuleJoin.And]));
    }

    [Theory]
    [InlineData(new[] { true, false, false }, new[] { RuleJoin.And, RuleJoin.Or, RuleJoin.And }, true)]
    [InlineData(new[] { false, true, true }, new[] { RuleJoin.And, RuleJoin.Or, RuleJoin.And }, true)]
    [InlineData(new[] { true, false, true }, new[] { RuleJoin.And, RuleJoin.And, RuleJoin.Or }, true)]
    [InlineData(new[] { true, true, false }, new[] { RuleJoin.And, RuleJoin.Or, RuleJoin.And }, true)]
    [InlineData(new[] { false, true, false }, new[] { RuleJoin.And, RuleJoin.Or, RuleJoin.And }, false)]
    [InlineData(new bool[0], new RuleJoin[0], false)]
    public void Combine_is_an_OR_of_AND_runs(bool[] values, RuleJoin[] joins, bool expected)
    {
        Assert.Equal(expected, Precedence.Combine(values, joins));
    }

    private static RuleSetDraft Set(string name, string expression, RuleJoin join = RuleJoin.And)
    {
        var tokens = expression.Split(' ');
        var rules = new List<RuleDraft> { Rules[tokens[0][0]] };
        for (var i = 1; i < tokens.Length; i += 2)
        {
            rules.Add(Rules[tokens[i + 1][0]] with { Join = tokens[i] == "OR" ? RuleJoin.Or : RuleJoin.And });
        }

        return new RuleSetDraft(name, rules, join);
    }

    private static RuleGroup Group(RuleSetDraft[] sets) => new RuleGroupDraft { Name = "g", TemplateId = 1, RuleSets = sets }.ToEntity();
}
