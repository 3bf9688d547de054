using Draw.Domain.Index;
using Draw.Domain.Rules;
using Draw.Domain.Work;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Rules;

/// <summary>What the rule editor relies on: drafts, tag information, inline checks, the list, enabling, and the series a group decided.</summary>
public sealed class RuleEditingTests
{
    [Theory]
    [InlineData("StudyDate", RuleOperator.EqualTo, "2024-13-45", "StudyDate (0008,0020) is DA: a date is written YYYYMMDD, without separators (2024-01-31 is 20240131)")]
    [InlineData("StudyDate", RuleOperator.GreaterThan, "20241345", "StudyDate (0008,0020) is DA: a date must be a valid YYYYMMDD")]
    [InlineData("Rows", RuleOperator.GreaterThan, "-1", "Rows (0028,0010) is US: a value must be a whole number from 0 to 65535")]
    [InlineData("Modality", RuleOperator.EqualTo, "", "Modality (0008,0060) is CS: 'equals' needs a value (use 'exists' or 'does not exist' to test presence)")]
    [InlineData("NoSuchKeyword", RuleOperator.EqualTo, "CT", "'NoSuchKeyword' is neither a DICOM keyword nor a tag as (gggg,eeee)")]
    public void A_rule_shows_its_own_problem_as_saving_would_name_it(string tag, RuleOperator op, string value, string expected)
    {
        var problem = RuleEditing.CheckRule(tag, op, value);
        Assert.NotNull(problem);
        Assert.True(problem.Contains(expected, StringComparison.Ordinal), problem);
    }

    [Theory]
    [InlineData("StudyDate", RuleOperator.GreaterThanOrEqual, "20240131")]
    [InlineData("Modality", RuleOperator.Exists, "ignored")]
    [InlineData("(0008,1032)[0](0008,0100)", RuleOperator.EqualTo, "CTCHEST")]
    public void A_good_rule_has_no_problem(string tag, RuleOperator op, string value) =>
        Assert.Null(RuleEditing.CheckRule(tag, op, value));

    [Fact]
    public void A_tag_resolves_to_its_entry_and_the_operators_its_VR_allows()
    {
        var modality = RuleEditing.DescribeTag("(0008,0060)");
        Assert.Equal(("Modality", "Modality", "CS"), (modality.Keyword, modality.Name, modality.VR));
        Assert.Contains(RuleOperator.ContainsIgnoreCase, modality.Operators);
        Assert.DoesNotContain(RuleOperator.GreaterThan, modality.Operators);
        var rows = RuleEditing.DescribeTag("Rows");
        Assert.Equal("US", rows.VR);
        Assert.Contains(RuleOperator.GreaterThan, rows.Operators);
        Assert.DoesNotContain(RuleOperator.Contains, rows.Operators);
        var broken = RuleEditing.DescribeTag("Modality[0].CodeValue");
        Assert.Null(broken.Path);
        Assert.NotNull(broken.Problem);
        Assert.Equal("ProcedureCodeSequence[0].CodeValue", RuleEditing.EditableTag("(0008,1032)[0](0008,0100)"));
        Assert.Equal("(0009,1001)", RuleEditing.EditableTag("(0009,1001)"));
    }

    [Fact]
    public void AND_runs_are_the_groups_the_editor_draws_joined_by_OR()
    {
        var joins = new[] { RuleJoin.And, RuleJoin.Or, RuleJoin.And, RuleJoin.Or };
        var runs = RuleEditing.AndRuns(joins);
        Assert.Equal([[0], [1, 2], [3]], runs.Select(r => r.ToArray()).ToArray());
        Assert.Equal("[CT] OR ([MR] AND [head]) OR [PT]", RuleEditing.Grouping(["[CT]", "[MR]", "[head]", "[PT]"], joins));
        Assert.Empty(RuleEditing.AndRuns([]));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_saved_group_reads_back_as_a_draft_in_keyword_form_that_saves_unchanged(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await RuleGroupTests.TemplateAsync(db);
        var saved = await db.SaveRuleGroupAsync(RuleGroupTests.ThoraxGroup(template), "admin", TimeProvider.System, CancellationToken.None);

        var draft = (await db.LoadRuleGroupAsync(saved.Id, CancellationToken.None))!.ToDraft();

        Assert.Equal(["Modality", "Manufacturer", "ProtocolName", "BodyPartExamined"], draft.RuleSets.SelectMany(s => s.Rules).Select(r => r.Tag));
        Assert.Equal((2, true, template), (draft.Priority!.Value, draft.Enabled, draft.TemplateId));
        await db.SaveRuleGroupAsync(draft, "admin", TimeProvider.System, CancellationToken.None, saved.Id);
        var again = (await db.LoadRuleGroupAsync(saved.Id, CancellationToken.None))!;
        Assert.Equal(["(0008,0060)", "(0008,0070)", "(0018,1030)", "(0018,0015)"], again.RuleSets.SelectMany(s => s.Rules).Select(r => r.TagPath));
        Assert.Equal([RuleJoin.And, RuleJoin.Or], again.RuleSets[1].Rules.Select(r => r.Join));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Groups_are_listed_with_their_grouping_can_be_disabled_and_show_the_series_they_decided(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await RuleGroupTests.TemplateAsync(db);
        var group = await db.SaveRuleGroupAsync(RuleGroupTests.ThoraxGroup(template) with
        {
            RuleSets = [.. RuleGroupTests.ThoraxGroup(template).RuleSets, new RuleSetDraft("mr", [new RuleDraft("Modality", RuleOperator.EqualTo, "MR")], RuleJoin.Or)],
        }, "admin", TimeProvider.System, CancellationToken.None);

        var row = Assert.Single(await db.ListRuleGroupsAsync(CancellationToken.None));
        Assert.Equal(("Thorax CT", "Thorax", 3, 5, true), (row.Name, row.TemplateName, row.RuleSets, row.Rules, row.Enabled));
        Assert.Equal("([modality] AND [protocol]) OR [mr]", row.Expression);

        await db.SetRuleGroupEnabledAsync(group.Id, false, "admin", TimeProvider.System, CancellationToken.None);
        Assert.False((await db.ListRuleGroupsAsync(CancellationToken.None))[0].Enabled);
        Assert.Empty((await db.CompileEnabledGroupsAsync(CancellationToken.None)).Groups);
        Assert.Contains("\"enabled\":false", (await db.Events.OrderBy(e => e.Id).LastAsync(e => e.Kind == EventKinds.RuleGroupSaved)).Payload, StringComparison.Ordinal);
        await db.SetRuleGroupEnabledAsync(group.Id, true, "admin", TimeProvider.System, CancellationToken.None);

        var seriesId = await SampleSeries.IndexAsync(db, SampleSeries.LungCt);
        var series = await db.Series.SingleAsync(s => s.Id == seriesId);
        var (groups, _) = await db.CompileEnabledGroupsAsync(CancellationToken.None);
        var (header, _) = await db.ReadFirstHeaderAsync(seriesId, CancellationToken.None);
        await db.RecordDecisionAsync(TimeProvider.System, series, SeriesMatching.Evaluate(groups, header!), CancellationToken.None);
        await db.SaveChangesAsync();

        var matched = Assert.Single(await db.SeriesMatchedByAsync(group.Id, 10, CancellationToken.None));
        Assert.Equal((seriesId, "LUNG1-001", "CT", SeriesStatus.RuleMatched, "Thorax", MatchOutcome.Matched), (matched.SeriesId, matched.PatientId, matched.Modality, matched.Status, matched.TemplateName, matched.Outcome));
    }
}
