using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Domain.Work;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Draw.Worker.Commands;
using Draw.Worker.Health;
using Draw.Worker.Matching;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draw.Worker.Tests.Matching;

public sealed class SeriesMatcherTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Series_matching_zero_one_and_two_groups_get_the_three_statuses(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var publisher = new RecordingPublisher();
        long mr, phantom, lung, ctGroup, lungGroup, thorax, lungTemplate;
        await using (var db = database.CreateContext())
        {
            (thorax, lungTemplate) = (await TemplateAsync(db, "Thorax"), await TemplateAsync(db, "Lung"));
            ctGroup = await GroupAsync(db, "Any CT", thorax, new RuleDraft("Modality", RuleOperator.EqualTo, "CT"));
            lungGroup = await GroupAsync(db, "Lung trial", lungTemplate, new RuleDraft("PatientID", RuleOperator.MatchesRegex, "^LUNG1-\\d{3}$"));
            mr = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr);          // matches none
            phantom = await SampleSeries.IndexAsync(db, SampleSeries.PhantomCt);     // matches "Any CT"
            lung = await SampleSeries.IndexAsync(db, SampleSeries.LungCt);           // matches both
        }

        var decided = await Matcher(database, publisher).MatchPendingAsync(CancellationToken.None);

        Assert.Equal(3, decided);
        await using var check = database.CreateContext();
        var statuses = await check.Series.ToDictionaryAsync(s => s.Id, s => s.Status);
        Assert.Equal(SeriesStatus.RuleNotMatched, statuses[mr]);
        Assert.Equal(SeriesStatus.RuleMatched, statuses[phantom]);
        Assert.Equal(SeriesStatus.MultipleRulesMatched, statuses[lung]);
        var matches = await check.SeriesMatches.ToDictionaryAsync(m => m.SeriesId);
        Assert.Equal((MatchOutcome.NoMatch, (long?)null, "[]"), (matches[mr].Outcome, matches[mr].TemplateId, matches[mr].Matches));
        Assert.Equal((MatchOutcome.Matched, (long?)thorax, (long?)ctGroup, "rules"), (matches[phantom].Outcome, matches[phantom].TemplateId, matches[phantom].RuleGroupId, matches[phantom].DecidedBy));
        Assert.Equal($"[{{\"group\":{ctGroup},\"name\":\"Any CT\",\"template\":{thorax},\"priority\":null,\"ruleSets\":[{{\"id\":{await RuleSetIdAsync(check, ctGroup)},\"name\":\"set\",\"rules\":[1]}}]}}]", matches[phantom].Matches);
        Assert.Equal((MatchOutcome.MultipleMatched, (long?)null), (matches[lung].Outcome, matches[lung].TemplateId));
        Assert.Contains($"\"group\":{lungGroup}", matches[lung].Matches, StringComparison.Ordinal);
        Assert.Equal("rule groups 'Any CT', 'Lung trial' matched; choose a template", matches[lung].Reason);

        // Every decision is a status event with its reason and a series.matched event, committed and published.
        var events = await check.Events.Where(e => e.SeriesId != null).ToListAsync();
        Assert.Equal(3, events.Count(e => e.Kind == EventKinds.SeriesStatusChanged));
        Assert.Equal(3, events.Count(e => e.Kind == EventKinds.SeriesMatched));
        Assert.Contains(events, e => e.SeriesId == phantom && e.Payload.Contains("\"reason\":\"rule group \\u0027Any CT\\u0027 matched\"", StringComparison.Ordinal));
        Assert.Equal(6, publisher.Published.Sum(p => p.Count));

        // Running again decides nothing: the series are no longer Unprocessed.
        Assert.Equal(0, await Matcher(database, publisher).MatchPendingAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_priority_breaks_a_tie_only_when_every_matching_group_has_one(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        long first, second, thorax, lungTemplate;
        await using (var db = database.CreateContext())
        {
            (thorax, lungTemplate) = (await TemplateAsync(db, "Thorax"), await TemplateAsync(db, "Lung"));
            await GroupAsync(db, "Any CT", thorax, new RuleDraft("Modality", RuleOperator.EqualTo, "CT"), priority: 5);
            await GroupAsync(db, "Lung trial", lungTemplate, new RuleDraft("PatientID", RuleOperator.ContainsIgnoreCase, "lung1"), priority: 1);
            first = await SampleSeries.IndexAsync(db, SampleSeries.LungCt);
        }

        await Matcher(database, new RecordingPublisher()).MatchPendingAsync(CancellationToken.None);

        await using (var db = database.CreateContext())
        {
            var match = await db.SeriesMatches.SingleAsync(m => m.SeriesId == first);
            Assert.Equal((MatchOutcome.Matched, (long?)lungTemplate), (match.Outcome, match.TemplateId));
            Assert.Equal("rule groups 'Any CT', 'Lung trial' matched; 'Lung trial' has the highest priority (1)", match.Reason);
            Assert.Equal(SeriesStatus.RuleMatched, (await db.Series.SingleAsync(s => s.Id == first)).Status);

            // A third matching group without a priority: no automatic choice.
            await GroupAsync(db, "Siemens", thorax, new RuleDraft("Manufacturer", RuleOperator.EqualTo, "SIEMENS"));
            await db.Series.ExecuteDeleteAsync();
            second = await SampleSeries.IndexAsync(db, SampleSeries.LungCt);
        }

        await Matcher(database, new RecordingPublisher()).MatchPendingAsync(CancellationToken.None);

        await using (var db = database.CreateContext())
        {
            Assert.Equal(SeriesStatus.MultipleRulesMatched, (await db.Series.SingleAsync(s => s.Id == second)).Status);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_workers_decide_each_series_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.CreateContext())
        {
            var thorax = await TemplateAsync(db, "Thorax");
            await GroupAsync(db, "Any CT", thorax, new RuleDraft("Modality", RuleOperator.EqualTo, "CT"));
            await SampleSeries.IndexAsync(db, SampleSeries.PhantomCt);
            await SampleSeries.IndexAsync(db, SampleSeries.LungCt);
            await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr);
        }

        var results = await Task.WhenAll(
            Matcher(database, new RecordingPublisher()).MatchPendingAsync(CancellationToken.None),
            Matcher(database, new RecordingPublisher()).MatchPendingAsync(CancellationToken.None));

        Assert.Equal(3, results.Sum());
        await using var check = database.CreateContext();
        var perSeries = await check.Events.Where(e => e.Kind == EventKinds.SeriesStatusChanged).GroupBy(e => e.SeriesId).Select(g => g.Count()).ToListAsync();
        Assert.Equal([1, 1, 1], perSeries);
        Assert.Equal(3, await check.SeriesMatches.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_first_instance_is_the_lowest_instance_number_and_an_unreadable_series_is_not_matched(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var folder = new Draw.Testing.TempFolder("draw-match");
        long phantom, broken;
        await using (var db = database.CreateContext())
        {
            var thorax = await TemplateAsync(db, "Thorax");
            // The phantom's files carry Instance Numbers 41 to 100 in name order. Renumber two rows so
            // that number order and path order disagree: the last file (100) becomes number 1 and the
            // first file loses its number (unnumbered instances come last).
            await GroupAsync(db, "Slice 100", thorax, new RuleDraft("InstanceNumber", RuleOperator.EqualTo, "100"));
            phantom = await SampleSeries.IndexAsync(db, SampleSeries.PhantomCt, take: 60);
            var files = SampleSeries.Files(SampleSeries.PhantomCt);
            var (firstFile, lastFile) = (files[0], files[^1]);
            await db.Instances.Where(i => i.Path == lastFile).ExecuteUpdateAsync(set => set.SetProperty(i => i.InstanceNumber, 1));
            await db.Instances.Where(i => i.Path == firstFile).ExecuteUpdateAsync(set => set.SetProperty(i => i.InstanceNumber, (int?)null));
            broken = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr, take: 1);
            var missing = Path.Combine(folder.Path, "gone.dcm");
            await db.Instances.Where(i => i.SeriesId == broken).ExecuteUpdateAsync(set => set.SetProperty(i => i.Path, missing));
        }

        Assert.Equal(SampleSeries.Files(SampleSeries.PhantomCt)[^1], await FirstPathAsync(database, phantom));
        await Matcher(database, new RecordingPublisher()).MatchPendingAsync(CancellationToken.None);

        await using var check = database.CreateContext();
        Assert.Equal(SeriesStatus.RuleMatched, (await check.Series.SingleAsync(s => s.Id == phantom)).Status);
        var unreadable = await check.SeriesMatches.SingleAsync(m => m.SeriesId == broken);
        Assert.Equal(SeriesStatus.RuleNotMatched, (await check.Series.SingleAsync(s => s.Id == broken)).Status);
        Assert.Equal("not matched: the header of gone.dcm could not be read (FileNotFoundException)", unreadable.Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Choose_cancel_and_retry_commands_run_with_the_requesting_user(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        long series, template;
        await using (var db = database.CreateContext())
        {
            template = await TemplateAsync(db, "Thorax");
            series = await SampleSeries.IndexAsync(db, SampleSeries.LungCt, status: SeriesStatus.MultipleRulesMatched);
            db.Enqueue(TimeProvider.System, WorkCommandKinds.ChooseTemplate, "dr.rao", $"{{\"seriesId\":{series},\"templateId\":{template}}}");
            db.Enqueue(TimeProvider.System, WorkCommandKinds.CancelSeries, "tech.anu", $"{{\"seriesId\":{series}}}");
            db.Enqueue(TimeProvider.System, WorkCommandKinds.RetrySeries, "tech.anu", $"{{\"seriesId\":{series}}}");
            db.Enqueue(TimeProvider.System, WorkCommandKinds.RetrySeries, "tech.anu", $"{{\"seriesId\":{series}}}");
            await db.SaveChangesAsync();
        }

        var processor = new CommandProcessor(
            database.Factory,
            [new ChooseTemplateHandler(TimeProvider.System), new CancelSeriesHandler(TimeProvider.System), new RetrySeriesHandler(TimeProvider.System)],
            new WorkerIdentity(),
            new RecordingPublisher(),
            TimeProvider.System,
            NullLogger<CommandProcessor>.Instance);

        Assert.Equal(4, await processor.DrainAsync(CancellationToken.None));

        await using var check = database.CreateContext();
        Assert.Equal(SeriesStatus.RuleMatched, (await check.Series.SingleAsync()).Status);
        var commands = await check.WorkCommands.OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([null, null, null, $"series {series} is Rule Matched; only failed, cancelled or unmatched series can be retried"], commands.Select(c => c.Error));
        var reasons = await check.Events.Where(e => e.Kind == EventKinds.SeriesStatusChanged).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        Assert.Collection(
            reasons,
            p => Assert.Contains("\"reason\":\"chosen by dr.rao\"", p, StringComparison.Ordinal),
            p => Assert.Contains("\"reason\":\"cancelled by tech.anu\"", p, StringComparison.Ordinal),
            p => Assert.Contains("\"reason\":\"retried by tech.anu\"", p, StringComparison.Ordinal));
    }

    private static SeriesMatcher Matcher(TestDatabase database, IEventPublisher publisher) =>
        new(database.Factory, publisher, TimeProvider.System, NullLogger<SeriesMatcher>.Instance);

    private static async Task<long> TemplateAsync(DrawDbContext db, string name)
    {
        if (!await db.CatalogueBackends.AnyAsync())
        {
            await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        }

        var draft = new TemplateDraft { Name = name, Backend = SampleCatalogue.Backend, Structures = [new StructureChoice(7, 1), new StructureChoice(7, 2)] };
        return (await db.SaveTemplateAsync(draft, "physicist", TimeProvider.System, CancellationToken.None)).Id;
    }

    private static async Task<long> GroupAsync(DrawDbContext db, string name, long template, RuleDraft rule, int? priority = null) =>
        (await db.SaveRuleGroupAsync(new RuleGroupDraft { Name = name, TemplateId = template, Priority = priority, RuleSets = [new RuleSetDraft("set", [rule])] }, "physicist", TimeProvider.System, CancellationToken.None)).Id;

    private static Task<long> RuleSetIdAsync(DrawDbContext db, long group) => db.RuleSets.Where(s => s.RuleGroupId == group).Select(s => s.Id).SingleAsync();

    private static async Task<string> FirstPathAsync(TestDatabase database, long series)
    {
        await using var db = database.CreateContext();
        return (await db.FirstInstancePathsAsync(series, 1, CancellationToken.None))[0];
    }
}
