using System.Globalization;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Operations;

/// <summary>The live board over a real worker and web: a series processed by the local engine moves every panel without a reload.</summary>
public sealed class BoardPageTests
{
    private const int Slices = 20;

    [Fact]
    public async Task The_board_shows_disk_listener_backends_steps_and_throughput_and_follows_a_series_through_the_local_engine_live()
    {
        var settings = new Dictionary<string, string> { ["Draw__Ingest__CompletionCheckSeconds"] = "1" };
        await using var stack = await DrawStack.StartAsync(settings: settings);
        await OperationsStack.SetUpLocalEngineRuleAsync(stack);
        var password = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", password);

        // The worker's heartbeat brings the data root's space, the listener's state and the backends.
        var disk = page.Locator("#disk .disk-row");
        await Assertions.Expect(disk).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var freeBytes = long.Parse(await disk.GetAttributeAsync("data-free-bytes") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(freeBytes > 0, $"free bytes {freeBytes}");
        Assert.InRange(freeBytes, 1, new DriveInfo(stack.Database.DataRoot.Path).TotalSize);
        await Assertions.Expect(page.Locator("#listener .listener-row[data-state='running']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#backends .backend-row[data-backend='local']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#step-counters [data-step='Done'] .draw-counter-value")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#throughput-series")).ToHaveTextAsync("0");

        // A datastore brings a CT series: it is received, matched, sent to the local engine and
        // exported; the board follows each part live, without a reload.
        using var datastore = new TempFolder("draw-board-datastore");
        OperationsStack.CopyLungSlices(datastore.Path, Slices);
        await OperationsStack.AddDatastoreAsync(stack, "site", datastore.Path, 5);

        await Assertions.Expect(page.Locator("#throughput-series")).ToHaveTextAsync("1", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#throughput-instances")).ToHaveTextAsync(Slices.ToString(CultureInfo.InvariantCulture));
        try
        {
            await Assertions.Expect(page.Locator("#step-counters [data-step='Done'] .draw-counter-value")).ToHaveTextAsync("1", new() { Timeout = 240_000 });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException(stack.Logs, ex);
        }

        await Assertions.Expect(page.Locator("#status-counters [data-status='RtStructureExported'] .draw-counter-value")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#throughput-completed")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#step-counters [data-step='Failed'] .draw-counter-value")).ToHaveTextAsync("0");

        // The local engine answered the pipeline: the next heartbeat reports it healthy.
        await Assertions.Expect(page.Locator("#backends .backend-row[data-backend='local'][data-state='healthy']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Chromium.ScreenshotAsync(page, "board-live");
        Assert.Empty(consoleErrors);
    }
}
