using System.Security.Claims;
using Draw.Domain.Index;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Testing.Processes;
using Draw.Web.Components.Pages.Series;
using Draw.Web.Hubs;
using Draw.Web.Live;
using Draw.Web.Tests.Browser;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Series;

/// <summary>A Viewer sees the series and cannot send: no buttons, and the page's handler refuses anyway.</summary>
[Collection(SeriesPage.Collection)]
public sealed class SeriesRolesTests
{
    [Fact]
    public async Task A_viewer_cannot_send_the_buttons_are_hidden_and_the_server_refuses()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);
        var (seeded, templates) = await SeriesPage.SeedAsync(stack.Database, 40);
        var viewerPassword = await TestUsers.CreateAsync(stack.Database, "vera", DrawRoles.Viewer);
        var adminPassword = await TestUsers.CreateAsync(stack.Database, "ada", DrawRoles.Admin);
        var physicistPassword = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();

        var (viewer, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(viewer, stack.WebUrl, "vera", viewerPassword);
        await Chromium.OpenAsync(viewer, stack.WebUrl + "/series");
        await SeriesPage.ExpectRowsAsync(viewer, seeded);
        var withTemplate = seeded.First(s => s.TemplateId is not null);
        await Assertions.Expect(SeriesPage.Row(viewer, withTemplate.Id)).ToContainTextAsync($"Seeded {templates.ToList().IndexOf(withTemplate.TemplateId!.Value) + 1}");
        foreach (var control in new[] { ".send-series", ".retry-series", ".cancel-series", ".row-template", ".select-series", ".new-template", "#send-selected" })
        {
            await Assertions.Expect(viewer.Locator(control)).ToHaveCountAsync(0);
        }

        await Chromium.ScreenshotAsync(viewer, "series-viewer");
        // The drawer is for everyone.
        await SeriesPage.Row(viewer, seeded[0].Id).Locator("td").Nth(1).ClickAsync();
        await Assertions.Expect(viewer.Locator("#series-detail")).ToBeVisibleAsync();
        Assert.Empty(consoleErrors);

        // Admins get the "+" to create a template; physicists send but do not get it.
        var (admin, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(admin, stack.WebUrl, "ada", adminPassword);
        await Chromium.OpenAsync(admin, stack.WebUrl + "/series");
        await Assertions.Expect(admin.Locator(".new-template").First).ToHaveAttributeAsync("href", "templates/new");
        var (physicist, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(physicist, stack.WebUrl, "phys", physicistPassword);
        await Chromium.OpenAsync(physicist, stack.WebUrl + "/series");
        await Assertions.Expect(physicist.Locator(".send-series")).ToHaveCountAsync(25);
        await Assertions.Expect(physicist.Locator(".new-template")).ToHaveCountAsync(0);

        // The page's own handler, called as the viewer (as a forced-visible button would): refused, nothing queued.
        var unsent = seeded.First(s => s.Status.CanSend() && !s.Sent);
        var sender = Sender(stack.Database);
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            sender.SendAsync(User("vera", DrawRoles.Viewer), [new SendRequest(unsent.Id, templates[0])], CancellationToken.None));
        Assert.Contains("vera may not send series", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AccessDeniedException>(() => sender.CancelAsync(User("vera", DrawRoles.Viewer), [unsent.Id], CancellationToken.None));
        await using (var db = stack.Database.CreateContext())
        {
            Assert.Equal(0, await db.WorkCommands.CountAsync());
        }

        // The same call as a physicist queues it: the refusal above is the role, not the request.
        var queued = await sender.SendAsync(User("phys", DrawRoles.Physicist), [new SendRequest(unsent.Id, templates[0])], CancellationToken.None);
        Assert.Equal([unsent.Id], queued.Queued);
        await using (var db = stack.Database.CreateContext())
        {
            Assert.Equal("phys", (await db.WorkCommands.SingleAsync()).RequestedBy);
        }
    }

    private static SeriesCommandSender Sender(TestDatabase database)
    {
        var services = new ServiceCollection().AddLogging().AddSignalR().Services.BuildServiceProvider();
        var hub = services.GetRequiredService<IHubContext<LiveHub>>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var notifier = new LiveEventNotifier(new BrowserBroadcast(hub, loggers.CreateLogger<BrowserBroadcast>()), loggers.CreateLogger<LiveEventNotifier>());
        return new SeriesCommandSender(database.Factory, TimeProvider.System, notifier, new WorkerWaker(hub, loggers.CreateLogger<WorkerWaker>()));
    }

    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "cookie"));
}
