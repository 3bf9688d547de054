using System.Text.RegularExpressions;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.FakeDraw;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Operations;

/// <summary>The datastore form with the worker's path test, and the settings page with masked secrets and the worker's connection test.</summary>
public sealed class SettingsAndDatastoresPageTests
{
    [Fact]
    public async Task An_admin_adds_a_datastore_checked_by_the_worker_and_sees_the_masked_backend_settings_and_a_connection_test()
    {
        await using var server = await FakeDrawServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Draw__DrawServer__Enabled"] = "true",
            ["Draw__DrawServer__BaseUrl"] = server.BaseUrl,
            ["Draw__DrawServer__ClientId"] = "Client-A1",
            ["Draw__DrawServer__BearerToken"] = server.InitialAccessToken,
            ["Draw__DrawServer__RefreshToken"] = server.InitialRefreshToken,
            ["Draw__DrawServer__Proxy__Disabled"] = "true",
        };
        await using var stack = await DrawStack.StartAsync(settings: settings);
        var password = await TestUsers.CreateAsync(stack.Database, "admin1", DrawRoles.Admin);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "admin1", password);

        // A new datastore: a relative path is refused by name; the worker says whether a folder is there.
        using var folder = new TempFolder("draw-form-datastore");
        File.WriteAllText(Path.Combine(folder.Path, "note.txt"), "not DICOM");
        await Chromium.OpenAsync(page, stack.WebUrl + "/datastores");
        await page.ClickAsync("#datastore-add");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/datastores/new$"));
        await page.FillAsync("#datastore-name", "archive");
        await page.FillAsync("#datastore-path", "relative/folder");
        await page.ClickAsync("#datastore-save");
        await Assertions.Expect(page.Locator("#datastore-errors")).ToContainTextAsync("Path must be an absolute folder path");

        await page.FillAsync("#datastore-path", folder.Path + "-missing");
        await page.ClickAsync("#test-path");
        await Assertions.Expect(page.Locator("#path-test-result[data-ok='false']")).ToContainTextAsync("does not exist", new() { Timeout = 30_000 });
        await page.FillAsync("#datastore-path", folder.Path);
        await page.ClickAsync("#test-path");
        await Assertions.Expect(page.Locator("#path-test-result[data-ok='true']")).ToContainTextAsync("1 file", new() { Timeout = 30_000 });
        await Chromium.ScreenshotAsync(page, "datastore-form");
        await page.ClickAsync("#datastore-save");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/datastores$"));
        await Assertions.Expect(page.Locator("#datastores-grid")).ToContainTextAsync(folder.Path);
        await Chromium.ScreenshotAsync(page, "datastores");
        await using (var db = stack.Database.CreateContext())
        {
            var saved = await db.Datastores.SingleAsync(d => d.Name == "archive");
            Assert.Equal(folder.Path, saved.Path);
            var test = await db.WorkCommands.Where(c => c.Kind == WorkCommandKinds.TestDatastore).OrderBy(c => c.Id).LastAsync();
            Assert.True(CommandResults.Read<FolderCheck>(test.Result)!.Ok);
        }

        // Settings: the backend as the worker runs it, secrets masked, the variable for each key.
        await Chromium.OpenAsync(page, stack.WebUrl + "/settings");
        await Assertions.Expect(page.Locator(".setting-row[data-key='DrawServer:BaseUrl'] .setting-value")).ToHaveTextAsync(server.BaseUrl, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator(".setting-row[data-key='DrawServer:ClientId'] .setting-value")).ToHaveTextAsync("Client-A1");
        await Assertions.Expect(page.Locator(".setting-row[data-key='DrawServer:BearerToken'] .setting-value")).ToHaveTextAsync(WorkerReports.MaskedValue);
        await Assertions.Expect(page.Locator(".setting-row[data-key='DrawServer:BearerToken']")).ToContainTextAsync("Draw__DrawServer__BearerToken");
        await Assertions.Expect(page.Locator(".setting-row[data-key='Listener:AeTitle'] .setting-value")).ToHaveTextAsync("DRAW");
        await Assertions.Expect(page.Locator("#quiet-periods .quiet-datastore")).ToHaveCountAsync(2);
        var html = await page.ContentAsync();
        Assert.DoesNotContain(server.InitialAccessToken, html, StringComparison.Ordinal);
        Assert.DoesNotContain(server.InitialRefreshToken, html, StringComparison.Ordinal);

        // The connection test runs on the worker against the (fake) DRAW server and the local engine.
        await page.ClickAsync("#test-backend");
        await Assertions.Expect(page.Locator(".backend-test-row[data-backend='draw-server'][data-ok='true']")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator(".backend-test-row[data-backend='local'][data-ok='true']")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "settings");

        // A server that fails is reported as such, and the board shows the backend failing from the heartbeat.
        server.Switches.ServerErrors = 1000;
        await page.ClickAsync("#test-backend");
        await Assertions.Expect(page.Locator(".backend-test-row[data-backend='draw-server'][data-ok='false']")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        await Chromium.OpenAsync(page, stack.WebUrl + "/");
        await Assertions.Expect(page.Locator("#backends .backend-row[data-backend='draw-server'][data-state='failing']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        Assert.Empty(consoleErrors);

        await using var check = stack.Database.CreateContext();
        Assert.True(await check.Events.AnyAsync(e => e.Kind == EventKinds.BackendTested));
        Assert.DoesNotContain(server.InitialAccessToken, (await check.WorkerInstances.FirstAsync()).Configuration, StringComparison.Ordinal);
    }
}
