using System.Globalization;
using Draw.Domain.Export;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Exports;

/// <summary>The File transfers page over a seeded ledger, with a real worker doing the re-export.</summary>
public sealed class FileTransfersPageTests
{
    private const int HistoryRows = 400;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_physicist_finds_a_row_among_many_downloads_exactly_the_filtered_rows_and_a_re_export_appears_live(string provider)
    {
        await using var stack = await DrawStack.StartAsync(provider);
        using var archiveRoot = new TempFolder("draw-ledger-archive");
        var archive = await ExportSeed.FolderAsync(stack.Database, "Archive", archiveRoot.Path);
        var pacs = await ExportSeed.DicomNodeAsync(stack.Database, "PACS", "PACS", FreePort.Next());
        await ExportSeed.HistoryAsync(stack.Database, archive, pacs, HistoryRows);
        var sample = await ExportSeed.DeliveredSampleAsync(stack.Database, archive);
        await ExportSeed.OpenDeliveriesAsync(stack.Database, pacs);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await SignedInPage.OpenAsync(chromium, stack, "phys1", DrawRoles.Physicist, "/file-transfers");

        var grid = page.Locator("#ledger-grid");
        var rows = grid.Locator("tbody tr");
        await Assertions.Expect(grid).ToContainTextAsync($"({HistoryRows + 1} items)");
        await Assertions.Expect(rows.First).ToContainTextAsync(ExportSeed.PatientOf(0));
        // Under way first (no retry), then parked failures latest first (the history's failed rows are parked too).
        var open = page.Locator("#deliveries-grid tbody tr");
        await Assertions.Expect(open.Nth(0)).ToContainTextAsync("connection reset by peer (waiting)");
        await Assertions.Expect(open.Nth(0).Locator(".delivery-retry")).ToHaveCountAsync(0);
        await Assertions.Expect(open.Nth(1)).ToContainTextAsync("connection refused (parked)");
        await Assertions.Expect(open.Nth(1).Locator(".delivery-retry")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#open-deliveries")).ToContainTextAsync($"({(HistoryRows / 2) + 2})");
        await Chromium.ScreenshotAsync(page, "file-transfers");

        // Patient P0042 has rows 84 (delivered to Archive) and 85 (failed at PACS).
        await page.FillAsync("#filter-search", "p0042");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(ExportSeed.SopOf(84));
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(ExportSeed.SopOf(85));
        await page.ClickAsync("#filter-result");
        await page.Locator(".rz-popup .rz-dropdown-item", new() { HasText = "Failed" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("association rejected");

        var csv = await DownloadAsync(page);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("ExportedAt,Result,Destination,", csv[0], StringComparison.Ordinal);
        Assert.Contains($",Failed,PACS,DicomNode,P0042,TEST^P0042,{ExportSeed.SopOf(85)},", csv[1], StringComparison.Ordinal);

        // Only the result filter: every failed row of the history, and nothing else.
        await page.FillAsync("#filter-search", "");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(grid).ToContainTextAsync($"({HistoryRows / 2} items)");
        csv = await DownloadAsync(page);
        Assert.Equal(HistoryRows / 2, csv.Length - 1);
        Assert.All(csv.Skip(1), line => Assert.Contains(",Failed,PACS,", line, StringComparison.Ordinal));
        Assert.Equal(
            Enumerable.Range(0, HistoryRows).Where(i => i % 2 == 1).Select(ExportSeed.SopOf).Order(StringComparer.Ordinal),
            csv.Skip(1).Select(line => line.Split(',')[6]).Order(StringComparer.Ordinal));

        // Destination and a two-day range (local days, the last one included): Archive's rows of those days only.
        await page.Locator("#filter-result .rz-dropdown-clear-icon").ClickAsync();
        await page.ClickAsync("#filter-destination");
        await page.Locator(".rz-popup .rz-dropdown-item", new() { HasText = "Archive" }).ClickAsync();
        await Assertions.Expect(grid).ToContainTextAsync($"({(HistoryRows / 2) + 1} items)");
        var lastDay = TimeZoneInfo.ConvertTimeFromUtc(ExportSeed.Newest, TimeZoneInfo.Local).Date;
        await page.Locator("#filter-from input.rz-inputtext").FillAsync(lastDay.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#filter-from input.rz-inputtext").PressAsync("Tab");
        await page.Locator("#filter-to input.rz-inputtext").FillAsync(lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#filter-to input.rz-inputtext").PressAsync("Tab");
        var inRange = Enumerable.Range(0, HistoryRows)
            .Where(i => i % 2 == 0 && TimeZoneInfo.ConvertTimeFromUtc(ExportSeed.Newest.AddHours(-i), TimeZoneInfo.Local).Date >= lastDay.AddDays(-1)
                && TimeZoneInfo.ConvertTimeFromUtc(ExportSeed.Newest.AddHours(-i), TimeZoneInfo.Local).Date <= lastDay)
            .Select(ExportSeed.SopOf).ToList();
        await Assertions.Expect(grid).ToContainTextAsync($"({inRange.Count} items)");
        csv = await DownloadAsync(page);
        Assert.Equal(inRange.Order(StringComparer.Ordinal), csv.Skip(1).Select(line => line.Split(',')[6]).Order(StringComparer.Ordinal));
        Assert.All(csv.Skip(1), line => Assert.Contains(",Delivered,Archive,Folder,", line, StringComparison.Ordinal));

        // Re-export of the real sample: confirmed, queued, delivered by the worker, and its row appears without a reload.
        await Chromium.OpenAsync(page, stack.WebUrl + "/file-transfers");
        await page.FillAsync("#filter-search", sample.SopInstanceUid);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await rows.First.Locator(".ledger-reexport").ClickAsync();
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync(sample.SopInstanceUid);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Re-export" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Assertions.Expect(rows.First).ToContainTextAsync("re-export 1");
        await Assertions.Expect(rows.First.Locator(".ledger-result")).ToHaveTextAsync("Delivered");
        await Chromium.ScreenshotAsync(page, "file-transfers-reexported");

        var written = Path.Combine(archiveRoot.Path, sample.PatientId!, $"DRAW_{sample.PatientId}_{sample.SopInstanceUid}.dcm");
        Assert.True(File.Exists(written), $"{written} was not written");
        Assert.Equal(await File.ReadAllBytesAsync(ExportSeed.RtStructSample), await File.ReadAllBytesAsync(written));
        await using (var db = stack.Database.CreateContext())
        {
            var entries = await db.ExportLedger.Where(e => e.SopInstanceUid == sample.SopInstanceUid).OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal([0, 1], entries.Select(e => e.Sequence));
            Assert.Equal(("phys1", LedgerResult.Delivered, written), (entries[1].RequestedBy, entries[1].Result, entries[1].Target));
        }

        // A physicist tests destinations but does not edit them.
        await Chromium.OpenAsync(page, stack.WebUrl + "/destinations");
        await Assertions.Expect(page.Locator("#destinations-grid")).ToContainTextAsync("Archive");
        await Assertions.Expect(page.Locator(".destination-test-button").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".destination-edit")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#add-folder")).ToHaveCountAsync(0);
        Assert.Empty(consoleErrors);
    }

    /// <summary>Clicks the CSV link as a person would and returns the downloaded file's lines.</summary>
    private static async Task<string[]> DownloadAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#ledger-csv"));
        var path = await download.PathAsync();
        var text = await File.ReadAllTextAsync(path);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        return text[..^2].Split("\r\n");
    }
}
