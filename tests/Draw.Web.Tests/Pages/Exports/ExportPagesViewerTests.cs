using System.Net;
using Draw.Domain.Export;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Testing.Processes;
using Draw.Web.Api;
using Draw.Web.Components.Pages.Destinations;
using Draw.Web.Components.Pages.FileTransfers;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Exports;

/// <summary>A Viewer sees destinations and transfers, changes nothing, and the server refuses what the buttons would do.</summary>
public sealed class ExportPagesViewerTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_viewer_sees_both_pages_without_any_action_and_the_server_refuses_the_actions(string provider)
    {
        await using var stack = await DrawStack.StartAsync(provider, startWorker: false);
        using var root = new TempFolder("draw-viewer-archive");
        var archive = await ExportSeed.FolderAsync(stack.Database, "Archive", root.Path);
        var pacs = await ExportSeed.DicomNodeAsync(stack.Database, "PACS", "PACS", FreePort.Next());
        await ExportSeed.HistoryAsync(stack.Database, archive, pacs, 30);
        await ExportSeed.OpenDeliveriesAsync(stack.Database, pacs);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await SignedInPage.OpenAsync(chromium, stack, "viewer1", DrawRoles.Viewer, "/");

        await page.ClickAsync("text=Destinations");
        await Chromium.WaitForInteractiveAsync(page);
        var grid = page.Locator("#destinations-grid");
        var archiveRow = grid.Locator("tbody tr", new() { HasText = "Archive" });
        await Assertions.Expect(archiveRow.Locator(".rz-badge")).ToHaveTextAsync("Delivered");
        await Assertions.Expect(grid.Locator("tbody tr", new() { HasText = "PACS" }).Locator(".rz-badge")).ToHaveTextAsync("Failed");
        await Assertions.Expect(page.Locator("#rules-grid")).ToContainTextAsync("Write-back");
        foreach (var hidden in new[] { "#add-folder", "#add-dicom-node", ".destination-edit", ".destination-delete", ".destination-test-button", ".destination-enabled", "#rule-add", ".rule-remove" })
        {
            await Assertions.Expect(page.Locator(hidden)).ToHaveCountAsync(0);
        }

        await Chromium.ScreenshotAsync(page, "destinations-viewer");

        await page.ClickAsync("text=File transfers");
        await Chromium.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#ledger-grid")).ToContainTextAsync("(30 items)");
        await Assertions.Expect(page.Locator("#deliveries-grid")).ToContainTextAsync("connection refused (parked)");
        await Assertions.Expect(page.Locator(".ledger-reexport")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".delivery-retry")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "file-transfers-viewer");

        // Any signed-in role downloads the CSV; a bad parameter is named; anonymous callers go to the login.
        await using (var csv = await page.APIRequest.GetAsync(stack.WebUrl + "/" + LedgerCsvEndpoints.Url(new LedgerFilter { Result = LedgerResult.Delivered })))
        {
            Assert.Equal(200, csv.Status);
            Assert.Equal(16, (await csv.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        }

        await using (var bad = await page.APIRequest.GetAsync(stack.WebUrl + "/api/ledger.csv?result=Maybe"))
        {
            Assert.Equal(400, bad.Status);
            Assert.Contains("result must be one of Delivered, Failed", await bad.TextAsync(), StringComparison.Ordinal);
        }

        using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var anonymous = await http.GetAsync(stack.WebUrl + "/api/ledger.csv"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/account/login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        Assert.Empty(consoleErrors);

        // The code behind the buttons refuses a Viewer whatever the page shows, and writes nothing.
        var viewer = ExportSeed.Principal("viewer1", DrawRoles.Viewer);
        var entry = await FirstDeliveredAsync(stack.Database);
        var parked = await ParkedAsync(stack.Database);
        var time = TimeProvider.System;
        var none = CancellationToken.None;
        await using (var db = stack.Database.CreateContext())
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.ReexportAsync(time, viewer, entry.Id, none));
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.RetryAsync(time, viewer, parked.Id, none));
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.QueueTestAsync(time, viewer, archive.Id, none));
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.SaveAsync(time, viewer, new ExportDestination { Name = "Sneaky", Kind = DestinationKind.Folder, FolderRoot = root.Path }, none));
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.DeleteAsync(time, viewer, archive.Id, none));
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.AddRuleAsync(time, viewer, archive.Id, null, none));
            Assert.Empty(db.ChangeTracker.Entries());
        }

        // A physicist is refused the admin's changes, and allowed the re-export.
        await TestUsers.CreateAsync(stack.Database, "phys1", DrawRoles.Physicist);
        var physicist = ExportSeed.Principal("phys1", DrawRoles.Physicist);
        await using (var db = stack.Database.CreateContext())
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => db.SetEnabledAsync(time, physicist, archive.Id, false, none));
            var again = await db.ReexportAsync(time, physicist, entry.Id, none);
            await db.SaveChangesAsync();
            Assert.Equal((1, "phys1", DeliveryState.Pending), (again.Sequence, again.RequestedBy, again.State));
        }

        await using var check = stack.Database.CreateContext();
        Assert.Equal(30 + 2 + 1, await check.ExportDeliveries.CountAsync());
        Assert.Equal(DeliveryState.Failed, (await check.ExportDeliveries.SingleAsync(d => d.Id == parked.Id)).State);
        Assert.False(await check.WorkCommands.AnyAsync());
        Assert.False(await check.ExportDestinations.AnyAsync(d => d.Name == "Sneaky"));
        Assert.True((await check.ExportDestinations.SingleAsync(d => d.Id == archive.Id)).Enabled);
        Assert.Equal(1, await check.ExportRules.CountAsync());
    }

    private static async Task<ExportLedgerEntry> FirstDeliveredAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.ExportLedger.AsNoTracking().Where(e => e.Result == LedgerResult.Delivered).OrderBy(e => e.Id).FirstAsync();
    }

    private static async Task<ExportDelivery> ParkedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.ExportDeliveries.AsNoTracking().SingleAsync(d => d.State == DeliveryState.Failed && d.LastError!.Contains("parked"));
    }
}
