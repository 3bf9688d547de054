using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages;

/// <summary>The series, logs, uploads and copied-folders pages over data a real datastore scan indexed.</summary>
public sealed class IngestPagesTests
{
    [Fact]
    public async Task Series_found_by_a_scan_show_live_with_filters_search_detail_and_their_log()
    {
        var settings = new Dictionary<string, string> { ["Draw__Ingest__CompletionCheckSeconds"] = "1" };
        await using var stack = await DrawStack.StartAsync(settings: settings);
        using var datastore = new TempFolder("draw-web-datastore");
        var source = Path.Combine(RepoPaths.DicomSamples, "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image");
        Directory.CreateDirectory(Path.Combine(datastore.Path, "lung"));
        foreach (var file in Directory.GetFiles(source).Order(StringComparer.Ordinal).Take(8))
        {
            File.Copy(file, Path.Combine(datastore.Path, "lung", Path.GetFileName(file)));
        }

        var password = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", password);
        await Chromium.OpenAsync(page, stack.WebUrl + "/series");
        await Assertions.Expect(page.Locator("#series-grid")).ToContainTextAsync("No series match.");

        await using (var db = stack.Database.CreateContext())
        {
            await db.SaveAsync(new Datastore { Name = "site", Path = datastore.Path, IntervalSeconds = 5, QuietPeriodSeconds = 0 }, TimeProvider.System, CancellationToken.None);
        }

        // The row appears without a reload; once stable it is matched, and with no rule group defined it ends Rule Not Matched.
        var grid = page.Locator("#series-grid");
        try
        {
            await Assertions.Expect(grid).ToContainTextAsync("LUNG1-001", new() { Timeout = 40_000 });
        }
        catch (PlaywrightException ex)
        {
            await using var db = stack.Database.CreateContext();
            throw new InvalidOperationException($"series in database: {await db.Series.CountAsync()}; runs: {string.Join("; ", await db.DatastoreRuns.Select(r => r.Status + " " + r.FilesIndexed + " " + r.Error).ToListAsync())}\n{stack.Logs}", ex);
        }
        await Assertions.Expect(grid.Locator(".series-status[data-status='RuleNotMatched']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Chromium.ScreenshotAsync(page, "series");

        await page.FillAsync("#filter-search", "no-such-patient");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(grid).ToContainTextAsync("No series match.");
        await page.FillAsync("#filter-search", "lung1");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(grid).ToContainTextAsync("LUNG1-001");

        await grid.Locator("tbody tr").First.ClickAsync();
        await Assertions.Expect(page.Locator("#series-detail")).ToContainTextAsync("8 instances");
        await Assertions.Expect(page.Locator("#series-detail .timeline-row").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "series-detail");

        await Chromium.OpenAsync(page, stack.WebUrl + "/logs");
        await page.FillAsync("#logs-search", "LUNG1-001");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#logs-grid")).ToContainTextAsync("series.status");
        await Chromium.ScreenshotAsync(page, "logs");

        await Chromium.OpenAsync(page, stack.WebUrl + "/copied-folders");
        await Assertions.Expect(page.Locator("#copied-grid")).ToContainTextAsync(Path.Combine(datastore.Path, "lung"));
        await Chromium.ScreenshotAsync(page, "copied-folders");

        await Chromium.OpenAsync(page, stack.WebUrl + "/uploads");
        await Assertions.Expect(page.Locator("#upload-card")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "uploads");

        await Chromium.OpenAsync(page, stack.WebUrl + "/");
        await Assertions.Expect(page.Locator("#status-counters [data-status='RuleNotMatched'] .draw-counter-value")).ToHaveTextAsync("1");
        Assert.Empty(consoleErrors);

        await using var check = stack.Database.CreateContext();
        Assert.Equal(8, (await check.Series.SingleAsync()).InstanceCount);
        Assert.Equal(SeriesStatus.RuleNotMatched, (await check.Series.SingleAsync()).Status);
    }
}
