using System.Text.RegularExpressions;
using Draw.Domain.Persistence;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Operations;

/// <summary>The schedules page against a real worker: edit with validation, Run now, pause and resume; a Viewer changes nothing.</summary>
public sealed class SchedulesPageTests
{
    [Fact]
    public async Task An_admin_edits_runs_and_pauses_a_schedule_and_a_viewer_sees_no_edit_buttons_and_is_refused()
    {
        await using var stack = await DrawStack.StartAsync();
        using var folder = new TempFolder("draw-schedules");
        var datastore = await OperationsStack.AddDatastoreAsync(stack, "site", folder.Path, 3600);
        var adminPassword = await TestUsers.CreateAsync(stack.Database, "admin1", DrawRoles.Admin);
        var viewerPassword = await TestUsers.CreateAsync(stack.Database, "viewer1", DrawRoles.Viewer);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "admin1", adminPassword);

        // The worker schedules the new datastore and runs it once at once (the first fire of its trigger).
        await WaitForRunsAsync(stack, datastore.Id, 1);
        await Chromium.OpenAsync(page, stack.WebUrl + "/schedules");
        var row = page.Locator(".schedule-row[data-datastore='site']");
        await Assertions.Expect(row.Locator(".schedule-text")).ToHaveTextAsync("every hour");
        await row.Locator(".schedule-select").ClickAsync();
        await Assertions.Expect(page.Locator("#runs")).ToContainTextAsync("of site");
        await Assertions.Expect(page.Locator("#runs-grid .run-status")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "schedules");

        // An invalid cron expression is refused inline; a valid one is saved and gives the next run.
        await row.Locator(".schedule-edit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/schedules/{datastore.Id}$"));
        await page.GetByText("Cron expression").ClickAsync();
        await page.FillAsync("#schedule-cron", "0 0 25 * * ?");
        await Assertions.Expect(page.Locator("#schedule-error")).ToContainTextAsync("not a valid Quartz cron expression");
        await Assertions.Expect(page.Locator("#schedule-save")).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(page, "schedule-edit-invalid");
        await page.FillAsync("#schedule-cron", "0 0/5 * * * ?");
        await Assertions.Expect(page.Locator("#next-runs .next-run")).ToHaveCountAsync(5);
        await Chromium.ScreenshotAsync(page, "schedule-edit");
        await page.ClickAsync("#schedule-save");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/schedules$"));
        await Assertions.Expect(row.Locator(".schedule-text")).ToHaveTextAsync("cron 0 0/5 * * * ?");
        await Assertions.Expect(row.Locator(".schedule-next")).ToContainTextAsync("in ");
        await using (var db = stack.Database.CreateContext())
        {
            Assert.Equal("0 0/5 * * * ?", (await db.Datastores.SingleAsync(d => d.Id == datastore.Id)).Cron);
        }

        // Run now: a new run, shown in the runs grid without a reload.
        var before = await LatestRunIdAsync(stack, datastore.Id);
        await row.Locator(".schedule-run").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-message", new() { HasTextString = "Scan queued" })).ToHaveCountAsync(1);
        var newRun = await Eventually.ValueAsync(
            async () => await LatestRunIdAsync(stack, datastore.Id) is var id && id > before ? (object)id : null,
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(100),
            () => Task.FromResult($"no new run\n{stack.Logs}"));
        await Assertions.Expect(page.Locator($"#runs-grid .run-id[data-run='{newRun}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await Chromium.ScreenshotAsync(page, "schedules-run-now");

        // Every 5 s, then paused: the worker removes the job and no run follows; resumed, runs come back.
        await page.GotoAsync(stack.WebUrl + $"/schedules/{datastore.Id}");
        await Chromium.WaitForInteractiveAsync(page);
        await page.GetByText("Every N seconds").ClickAsync();
        await page.FillAsync("#schedule-interval input, input#schedule-interval", "5");
        await page.Keyboard.PressAsync("Tab");
        await page.ClickAsync("#schedule-save");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/schedules$"));
        await Assertions.Expect(row.Locator(".schedule-text")).ToHaveTextAsync("every 5 s");
        var running = await OperationsStack.RunCountAsync(stack, datastore.Id);
        await WaitForRunsAsync(stack, datastore.Id, running + 2);

        var pausedAt = await LatestEventIdAsync(stack);
        await row.Locator(".schedule-pause").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "paused");
        await WaitForEventAsync(stack, pausedAt, EventKinds.ScheduleApplied, "\"state\":\"removed\"");
        await WaitForNoRunningAsync(stack, datastore.Id);
        var whilePaused = await OperationsStack.RunCountAsync(stack, datastore.Id);
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Equal(whilePaused, await OperationsStack.RunCountAsync(stack, datastore.Id));
        await Chromium.ScreenshotAsync(page, "schedules-paused");

        await row.Locator(".schedule-resume").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "active");
        await WaitForRunsAsync(stack, datastore.Id, whilePaused + 1);
        Assert.Empty(consoleErrors);

        // A Viewer sees the schedules and datastores without any edit button, and the server refuses the edit pages.
        var (viewer, viewerErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(viewer, stack.WebUrl, "viewer1", viewerPassword);
        await Chromium.OpenAsync(viewer, stack.WebUrl + "/schedules");
        await Assertions.Expect(viewer.Locator(".schedule-row[data-datastore='site']")).ToHaveCountAsync(1);
        await Assertions.Expect(viewer.Locator(".schedule-edit, .schedule-run, .schedule-pause, .schedule-resume")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(viewer, "schedules-viewer");
        await Chromium.OpenAsync(viewer, stack.WebUrl + "/datastores");
        await Assertions.Expect(viewer.Locator("#datastores-grid")).ToContainTextAsync("site");
        await Assertions.Expect(viewer.Locator("#datastore-add, .datastore-edit")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.GetByText("Settings", new() { Exact = true })).ToHaveCountAsync(0);
        foreach (var path in new[] { $"/schedules/{datastore.Id}", "/datastores/new", $"/datastores/{datastore.Id}", "/settings" })
        {
            await viewer.GotoAsync(stack.WebUrl + path);
            await Assertions.Expect(viewer.Locator("#access-denied")).ToBeVisibleAsync();
        }

        Assert.Empty(viewerErrors);
    }

    private static Task<string> WaitForRunsAsync(DrawStack stack, long datastoreId, int count) =>
        Eventually.ValueAsync(
            async () => await OperationsStack.RunCountAsync(stack, datastoreId) >= count ? "done" : null,
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(200),
            async () => $"{await OperationsStack.RunCountAsync(stack, datastoreId)} runs, wanted {count}\n{stack.Logs}");

    private static Task<string> WaitForNoRunningAsync(DrawStack stack, long datastoreId) =>
        Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await db.DatastoreRuns.AnyAsync(r => r.DatastoreId == datastoreId && r.Status == Domain.Ingest.DatastoreRunStatus.Running) ? null : "idle";
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(100),
            () => Task.FromResult("a run is still running"));

    private static async Task<long> LatestRunIdAsync(DrawStack stack, long datastoreId)
    {
        await using var db = stack.Database.CreateContext();
        return await db.DatastoreRuns.Where(r => r.DatastoreId == datastoreId).MaxAsync(r => (long?)r.Id) ?? 0;
    }

    private static async Task<long> LatestEventIdAsync(DrawStack stack)
    {
        await using var db = stack.Database.CreateContext();
        return await db.Events.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    private static Task<EventRecord> WaitForEventAsync(DrawStack stack, long afterId, string kind, string payloadPart) =>
        Eventually.ValueAsync(
            async () =>
            {
                await using DrawDbContext db = stack.Database.CreateContext();
                var candidates = await db.Events.AsNoTracking().Where(e => e.Id > afterId && e.Kind == kind).ToListAsync();
                return candidates.FirstOrDefault(e => e.Payload.Contains(payloadPart, StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(100),
            () => Task.FromResult($"no {kind} event with {payloadPart}\n{stack.Logs}"));
}
