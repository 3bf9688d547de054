using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Board;

/// <summary>The whole product as real processes, watched through headless Chromium.</summary>
public sealed class LiveBoardTests
{
    [Fact]
    public async Task A_signed_in_user_sees_the_worker_live_events_arrive_and_a_killed_worker_turn_stale()
    {
        await using var stack = await DrawStack.StartAsync();
        var password = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();

        await Chromium.SignInAsync(page, stack.WebUrl, "phys", password);
        var worker = page.Locator(".worker-row[data-liveness='live']");
        await Assertions.Expect(worker).ToHaveCountAsync(1, new() { Timeout = 5_000 });
        await Chromium.ScreenshotAsync(page, "board");

        // An event the worker writes (its answer to a ping) appears without a reload, within a
        // second of its commit.
        await page.ClickAsync("#ping-workers");
        await Assertions.Expect(page.Locator(".rz-notification-message")).ToContainTextAsync("Ping queued");
        var pong = await WaitForEventAsync(stack, EventKinds.WorkerPong, TimeSpan.FromSeconds(10));
        await Assertions.Expect(page.Locator($".event-row[data-event-id='{pong.Id}']")).ToBeVisibleAsync(new() { Timeout = 1_000 });

        stack.Worker!.Kill();
        await Assertions.Expect(page.Locator(".worker-row[data-liveness='stale']")).ToHaveCountAsync(1, new() { Timeout = 25_000 });
        await Chromium.ScreenshotAsync(page, "board-worker-stale");
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task A_gracefully_stopped_worker_shows_as_stopped_with_its_event()
    {
        await using var stack = await DrawStack.StartAsync();
        var password = await TestUsers.CreateAsync(stack.Database, "viewer1", DrawRoles.Viewer);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "viewer1", password);
        await Assertions.Expect(page.Locator(".worker-row[data-liveness='live']")).ToHaveCountAsync(1, new() { Timeout = 5_000 });
        await Assertions.Expect(page.Locator("#ping-workers")).ToHaveCountAsync(0);

        await stack.Worker!.StopAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, stack.Worker.ExitCode);
        await Assertions.Expect(page.Locator(".worker-row[data-liveness='stopped']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator($".event-row[data-kind='{EventKinds.WorkerStopped}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
    }

    private static Task<EventRecord> WaitForEventAsync(DrawStack stack, string kind, TimeSpan timeout) =>
        Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await db.Events.AsNoTracking().Where(e => e.Kind == kind).OrderBy(e => e.Id).FirstOrDefaultAsync();
            },
            timeout,
            TimeSpan.FromMilliseconds(20),
            () => Task.FromResult($"no {kind} event\n{stack.Logs}"));
}
