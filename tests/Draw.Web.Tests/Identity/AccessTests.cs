using System.Net;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Identity;

public sealed class AccessTests
{
    [Fact]
    public async Task Access_rules_hold_for_anonymous_viewer_and_admin_users_and_lockout_follows_repeated_failures()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);

        // Anonymous requests to any page go to the login page; the hub refuses them.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var path in new[] { "/", "/admin/users", "/?filter=x" })
        {
            using var response = await http.GetAsync(stack.WebUrl + path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (var hub = await http.PostAsync(stack.WebUrl + "/hubs/live/negotiate?negotiateVersion=1", null))
        {
            Assert.True(hub.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"hub answered {hub.StatusCode}");
        }

        var viewerPassword = await TestUsers.CreateAsync(stack.Database, "viewer1", DrawRoles.Viewer);
        var adminPassword = await TestUsers.CreateAsync(stack.Database, "admin1", DrawRoles.Admin);
        await using var chromium = await Chromium.LaunchAsync();

        // A Viewer has no Users link and is refused the page itself.
        var (viewer, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(viewer, stack.WebUrl, "viewer1", viewerPassword);
        await Assertions.Expect(viewer.Locator("#current-user")).ToHaveTextAsync("viewer1");
        await Assertions.Expect(viewer.GetByText("Users", new() { Exact = true })).ToHaveCountAsync(0);
        await viewer.GotoAsync(stack.WebUrl + "/admin/users");
        await Assertions.Expect(viewer.Locator("#access-denied")).ToBeVisibleAsync();

        // An admin opens user management.
        var (admin, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(admin, stack.WebUrl, "admin1", adminPassword);
        await Chromium.OpenAsync(admin, stack.WebUrl + "/admin/users");
        await Assertions.Expect(admin.Locator("#users-grid")).ToContainTextAsync("viewer1");

        // Wrong passwords: a generic message, then a lockout that the right password cannot pass.
        var (intruder, _) = await chromium.NewPageAsync();
        for (var attempt = 0; attempt < IdentitySetup.MaxFailedAttempts; attempt++)
        {
            await intruder.GotoAsync(stack.WebUrl + "/account/login");
            await intruder.FillAsync("#username", "viewer1");
            await intruder.FillAsync("#password", "wrong-password-" + attempt);
            await intruder.ClickAsync("#sign-in");
            await Assertions.Expect(intruder.Locator("#login-error")).ToBeVisibleAsync();
        }

        await intruder.FillAsync("#username", "viewer1");
        await intruder.FillAsync("#password", viewerPassword);
        await intruder.ClickAsync("#sign-in");
        await Assertions.Expect(intruder.Locator("#login-error")).ToContainTextAsync("locked");
    }
}
