using Draw.Domain.Index;
using Draw.Domain.Rules;
using Draw.Domain.Work;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Rules;

/// <summary>Manual choice, cancel and retry: each recorded with the user, each on the change feed.</summary>
public sealed class SeriesDecisionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Choosing_a_template_queues_the_series_and_is_on_the_change_feed_with_the_user(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await RuleGroupTests.TemplateAsync(db);
        var series = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr, status: SeriesStatus.MultipleRulesMatched);

        await db.ChooseTemplateAsync(TimeProvider.System, series, template, "dr.rao", CancellationToken.None);
        await db.SaveChangesAsync();

        db.ChangeTracker.Clear();
        Assert.Equal(SeriesStatus.RuleMatched, (await db.Series.SingleAsync(s => s.Id == series)).Status);
        var match = await db.SeriesMatches.SingleAsync(m => m.SeriesId == series);
        Assert.Equal((MatchOutcome.Chosen, (long?)template, "dr.rao"), (match.Outcome, match.TemplateId, match.DecidedBy));
        var events = await db.Events.Where(e => e.SeriesId == series).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([EventKinds.SeriesTemplateChosen, EventKinds.SeriesStatusChanged], events.Select(e => e.Kind));
        Assert.Contains("\"by\":\"dr.rao\"", events[0].Payload, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"chosen by dr.rao\"", events[1].Payload, StringComparison.Ordinal);
        Assert.Contains("\"from\":\"MultipleRulesMatched\"", events[1].Payload, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Cancel_and_retry_are_on_the_change_feed_with_the_user(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await RuleGroupTests.TemplateAsync(db);
        var unmatched = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr, status: SeriesStatus.RuleNotMatched);
        var failed = await SampleSeries.IndexAsync(db, SampleSeries.LungCt, status: SeriesStatus.Unprocessed);
        await db.ChooseTemplateAsync(TimeProvider.System, failed, template, "dr.rao", CancellationToken.None);
        await db.SaveChangesAsync();
        await db.Series.Where(s => s.Id == failed).ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, SeriesStatus.FailedTransferToDrawServer));
        db.ChangeTracker.Clear();

        await db.CancelSeriesAsync(TimeProvider.System, unmatched, "tech.anu", CancellationToken.None);
        await db.SaveChangesAsync();
        await db.RetrySeriesAsync(TimeProvider.System, unmatched, "tech.anu", CancellationToken.None);
        await db.RetrySeriesAsync(TimeProvider.System, failed, "dr.rao", CancellationToken.None);
        await db.SaveChangesAsync();

        db.ChangeTracker.Clear();
        Assert.Equal(SeriesStatus.Unprocessed, (await db.Series.SingleAsync(s => s.Id == unmatched)).Status); // no template: the rules run again
        Assert.Equal(SeriesStatus.RuleMatched, (await db.Series.SingleAsync(s => s.Id == failed)).Status); // template set: queued again
        var cancel = await db.Events.SingleAsync(e => e.Kind == EventKinds.SeriesCancelled);
        Assert.Equal(unmatched, cancel.SeriesId);
        Assert.Contains("\"by\":\"tech.anu\"", cancel.Payload, StringComparison.Ordinal);
        var statuses = await db.Events.Where(e => e.SeriesId == unmatched && e.Kind == EventKinds.SeriesStatusChanged).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        Assert.Contains("\"reason\":\"cancelled by tech.anu\"", statuses[0], StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"retried by tech.anu\"", statuses[1], StringComparison.Ordinal);
        Assert.Equal(2, await db.Events.CountAsync(e => e.Kind == EventKinds.SeriesRetried));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Decisions_the_status_does_not_allow_are_refused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var template = await RuleGroupTests.TemplateAsync(db);
        var exported = await SampleSeries.IndexAsync(db, SampleSeries.LungCt, status: SeriesStatus.RtStructureExported);
        var receiving = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr, status: SeriesStatus.Receiving);

        var choose = await Assert.ThrowsAsync<SeriesDecisionException>(() => db.ChooseTemplateAsync(TimeProvider.System, receiving, template, "dr.rao", CancellationToken.None));
        Assert.Equal($"series {receiving} is Receiving; a template can be chosen once it is complete", choose.Message);
        await Assert.ThrowsAsync<SeriesDecisionException>(() => db.CancelSeriesAsync(TimeProvider.System, exported, "dr.rao", CancellationToken.None));
        var retry = await Assert.ThrowsAsync<SeriesDecisionException>(() => db.RetrySeriesAsync(TimeProvider.System, receiving, "dr.rao", CancellationToken.None));
        Assert.Equal($"series {receiving} is Receiving; only failed, cancelled or unmatched series can be retried", retry.Message);
        await Assert.ThrowsAsync<SeriesDecisionException>(() => db.ChooseTemplateAsync(TimeProvider.System, receiving + 100, template, "dr.rao", CancellationToken.None));
        Assert.Empty(await db.Events.Where(e => e.SeriesId != null).ToListAsync());

        // A person may send an exported series again: it is queued for a new job.
        var resent = await db.ChooseTemplateAsync(TimeProvider.System, exported, template, "dr.rao", CancellationToken.None);
        await db.SaveChangesAsync();
        Assert.Equal(SeriesStatus.RuleMatched, resent.Status);
        Assert.Equal(1, await db.Events.CountAsync(e => e.SeriesId == exported && e.Kind == EventKinds.SeriesTemplateChosen));
    }
}
