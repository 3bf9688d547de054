using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Domain.Tests.Templates;
using Draw.Domain.Work;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Rules;

public sealed class RuleGroupTests
{
    internal static RuleGroupDraft ThoraxGroup(long templateId) => new()
    {
        Name = "Thorax CT",
        TemplateId = templateId,
        Priority = 2,
        RuleSets =
        [
            new RuleSetDraft("modality", [new RuleDraft("Modality", RuleOperator.EqualTo, "CT"), new RuleDraft("(0008,0070)", RuleOperator.ContainsIgnoreCase, "siemens")]),
            new RuleSetDraft("protocol", [new RuleDraft("ProtocolName", RuleOperator.ContainsIgnoreCase, "thorax"), new RuleDraft("BodyPartExamined", RuleOperator.IsOneOf, "CHEST|LUNG", RuleJoin.Or)]),
        ],
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_group_is_saved_in_order_in_canonical_form_and_compiles_again(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        long id;
        await using (var db = database.CreateContext())
        {
            var template = await TemplateAsync(db);
            id = (await db.SaveRuleGroupAsync(ThoraxGroup(template), "physicist", TimeProvider.System, CancellationToken.None)).Id;
        }

        await using (var db = database.CreateContext())
        {
            var group = await db.LoadRuleGroupAsync(id, CancellationToken.None);
            Assert.NotNull(group);
            Assert.Equal(["modality", "protocol"], group.RuleSets.Select(s => s.Name));
            Assert.Equal(["(0008,0060)", "(0008,0070)"], group.RuleSets[0].Rules.Select(r => r.TagPath));
            Assert.Equal([RuleJoin.And, RuleJoin.Or], group.RuleSets[1].Rules.Select(r => r.Join));
            Assert.Equal(RuleOperator.IsOneOf, group.RuleSets[1].Rules[1].Operator);
            var compiled = RuleCompiler.Compile(group);
            Assert.Equal(2, compiled.Priority);
            Assert.Equal("Modality (0008,0060) equals CT", compiled.RuleSets[0].Rules[0].Describe());
            var (all, errors) = await db.CompileEnabledGroupsAsync(CancellationToken.None);
            Assert.Single(all);
            Assert.Empty(errors);
            Assert.Contains("\"by\":\"physicist\"", (await db.Events.SingleAsync(e => e.Kind == EventKinds.RuleGroupSaved)).Payload, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Invalid_groups_are_refused_and_a_used_template_cannot_be_deleted(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await TemplateAsync(db);
        await db.SaveRuleGroupAsync(ThoraxGroup(template), "physicist", TimeProvider.System, CancellationToken.None);

        var again = await Assert.ThrowsAsync<RuleValidationException>(() => db.SaveRuleGroupAsync(ThoraxGroup(template), "physicist", TimeProvider.System, CancellationToken.None));
        Assert.Equal(["name: a rule group named 'Thorax CT' already exists"], again.Errors);
        var broken = ThoraxGroup(999) with { Name = "Broken", RuleSets = [new RuleSetDraft("one", [new RuleDraft("Rows", RuleOperator.GreaterThan, "big")])] };
        var refused = await Assert.ThrowsAsync<RuleValidationException>(() => db.SaveRuleGroupAsync(broken, "physicist", TimeProvider.System, CancellationToken.None));
        Assert.Equal(["one, rule 1: Rows (0028,0010) is US: a value must be a whole number from 0 to 65535", "template: template 999 does not exist"], refused.Errors);

        var inUse = await Assert.ThrowsAsync<TemplateValidationException>(() => db.DeleteTemplateAsync(template, "physicist", TimeProvider.System, CancellationToken.None));
        Assert.Equal(["template 'Thorax' is used by rule group(s) 'Thorax CT'"], inUse.Errors);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_rule_test_evaluates_a_group_being_edited_against_an_indexed_series_or_a_file(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await TemplateAsync(db);
        var ct = await SampleSeries.IndexAsync(db, SampleSeries.LungCt);
        var editing = ThoraxGroup(template).ToEntity(); // never saved

        var result = await db.TestSeriesAsync(editing, ct, CancellationToken.None);

        Assert.True(result.Matched);
        Assert.Equal("[modality] AND [protocol]", result.Expression);
        var modality = result.RuleSets[0].Rules[0];
        Assert.True(modality.Matched);
        Assert.Equal(["CT"], modality.Found);
        Assert.Equal(["RCCTPET_THORAX_CONTRAST_dag0"], result.RuleSets[1].Rules[0].Found);
        Assert.Equal(["LUNG"], result.RuleSets[1].Rules[1].Found);
        Assert.Equal("rule 1 OR rule 2", result.RuleSets[1].Expression);

        var mr = RuleTester.TestFile(editing, SampleSeries.FirstFile(SampleSeries.SarcomaMr));
        Assert.False(mr.Matched);
        Assert.Equal(["MR"], mr.RuleSets[0].Rules[0].Found);
        await using var upload = File.OpenRead(SampleSeries.FirstFile(SampleSeries.PhantomCt));
        var phantom = RuleTester.TestStream(editing, upload);
        Assert.Equal([true, false], phantom.RuleSets[0].Rules.Select(r => r.Matched)); // CT, but "CMS, Inc."
    }

    internal static async Task<long> TemplateAsync(DrawDbContext db, string name = "Thorax")
    {
        if (!await db.CatalogueBackends.AnyAsync())
        {
            await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        }

        return (await db.SaveTemplateAsync(TemplateAdministrationTests.Draft(name), "physicist", TimeProvider.System, CancellationToken.None)).Id;
    }
}
