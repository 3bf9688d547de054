using System.Security.Claims;
using Draw.Domain.Index;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Draw.Testing.Series;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Index;

/// <summary>The page's manual actions become commands for the workers, for the roles that may, when the status allows.</summary>
public sealed class SeriesRequestsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_viewer_is_refused_and_nothing_is_queued(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await TestUsers.CreateAsync(database, "vera", DrawRoles.Viewer);
        await TestUsers.CreateAsync(database, "demoted", DrawRoles.Viewer);
        await using var db = database.CreateContext();
        var template = (await SeriesSeeder.TemplatesAsync(db, "Thorax"))[0];
        var series = await SampleSeries.IndexAsync(db, SampleSeries.LungCt, status: SeriesStatus.RuleNotMatched);
        var viewer = User("vera", DrawRoles.Viewer);

        var send = await Assert.ThrowsAsync<AccessDeniedException>(() => db.SendAsync(TimeProvider.System, viewer, [new SendRequest(series, template)], CancellationToken.None));
        Assert.Equal("vera may not send series: only a Physicist or an Admin may, and vera has Viewer", send.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.RetryAsync(TimeProvider.System, viewer, [series], CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.CancelAsync(TimeProvider.System, viewer, [series], CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.SendAsync(TimeProvider.System, new ClaimsPrincipal(new ClaimsIdentity()), [new SendRequest(series, template)], CancellationToken.None));
        // A page opened while its user was a Physicist still carries that claim; the database says Viewer now.
        var stale = await Assert.ThrowsAsync<AccessDeniedException>(() => db.SendAsync(TimeProvider.System, User("demoted", DrawRoles.Physicist), [new SendRequest(series, template)], CancellationToken.None));
        Assert.Equal("demoted may not send series: only a Physicist or an Admin may, and demoted has Viewer", stale.Message);
        await db.SaveChangesAsync();

        Assert.Equal(0, await db.WorkCommands.CountAsync());
        Assert.Equal(0, await db.Events.CountAsync(e => e.Kind == EventKinds.CommandQueued));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_physicist_queues_one_command_per_series_and_what_the_status_forbids_is_refused_with_the_reason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await TestUsers.CreateAsync(database, "dr.rao", DrawRoles.Physicist);
        await TestUsers.CreateAsync(database, "boss", DrawRoles.Admin);
        await using var db = database.CreateContext();
        var template = (await SeriesSeeder.TemplatesAsync(db, "Thorax"))[0];
        var unmatched = await SampleSeries.IndexAsync(db, SampleSeries.LungCt, status: SeriesStatus.RuleNotMatched);
        var failed = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr, status: SeriesStatus.FailedTransferToDrawServer);
        var exported = await SampleSeries.IndexAsync(db, SampleSeries.PhantomCt, status: SeriesStatus.RtStructureExported);
        var physicist = User("dr.rao", DrawRoles.Physicist);

        var sent = await db.SendAsync(TimeProvider.System, physicist, [new SendRequest(unmatched, template), new SendRequest(failed, template), new SendRequest(exported, template), new SendRequest(failed, 999)], CancellationToken.None);
        var retried = await db.RetryAsync(TimeProvider.System, User("boss", DrawRoles.Admin), [failed, unmatched, exported], CancellationToken.None);
        var cancelled = await db.CancelAsync(TimeProvider.System, physicist, [exported, 424242], CancellationToken.None);
        await db.SaveChangesAsync();

        Assert.Equal([unmatched, failed, exported], sent.Queued);
        Assert.Equal([(failed, "template 999 does not exist")], sent.Refused);
        Assert.Equal([failed, unmatched], retried.Queued);
        Assert.Equal([(exported, $"series {exported} is RT Structure Exported and cannot be retried")], retried.Refused);
        Assert.Empty(cancelled.Queued);
        Assert.Equal([(exported, $"series {exported} is RT Structure Exported and cannot be cancelled"), (424242L, "series 424242 does not exist")], cancelled.Refused);
        var commands = await db.WorkCommands.OrderBy(c => c.Id).Select(c => new { c.Kind, c.Payload, c.RequestedBy }).ToListAsync();
        Assert.Equal(
            [
                new { Kind = WorkCommandKinds.ChooseTemplate, Payload = $"{{\"seriesId\":{unmatched},\"templateId\":{template}}}", RequestedBy = (string?)"dr.rao" },
                new { Kind = WorkCommandKinds.ChooseTemplate, Payload = $"{{\"seriesId\":{failed},\"templateId\":{template}}}", RequestedBy = (string?)"dr.rao" },
                new { Kind = WorkCommandKinds.ChooseTemplate, Payload = $"{{\"seriesId\":{exported},\"templateId\":{template}}}", RequestedBy = (string?)"dr.rao" },
                new { Kind = WorkCommandKinds.RetrySeries, Payload = $"{{\"seriesId\":{failed}}}", RequestedBy = (string?)"boss" },
                new { Kind = WorkCommandKinds.RetrySeries, Payload = $"{{\"seriesId\":{unmatched}}}", RequestedBy = (string?)"boss" },
            ],
            commands);
        Assert.Equal(5, await db.Events.CountAsync(e => e.Kind == EventKinds.CommandQueued));
    }

    [Fact]
    public void The_actions_offered_follow_the_status()
    {
        Assert.Equal(
            [SeriesStatus.Receiving],
            Enum.GetValues<SeriesStatus>().Where(s => !s.CanSend()));
        Assert.Equal(
            [SeriesStatus.RuleNotMatched, SeriesStatus.MultipleRulesMatched, SeriesStatus.DeidentificationFailed, SeriesStatus.FailedTransferToDrawServer,
                SeriesStatus.InvalidRtStructureReceived, SeriesStatus.RtStructureExportFailed, SeriesStatus.Cancelled],
            Enum.GetValues<SeriesStatus>().Where(s => s.CanRetry()));
        Assert.Equal([SeriesStatus.RtStructureExported, SeriesStatus.Cancelled], Enum.GetValues<SeriesStatus>().Where(s => !s.CanCancel()));
    }

    internal static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
}
