using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Identity;

/// <summary>Interactivity end to end: a form, a dialog, a notification and a grid page change.</summary>
public sealed class UserManagementTests
{
    [Fact]
    public async Task An_admin_creates_a_user_sees_the_password_once_and_pages_through_the_users()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);
        var adminPassword = await TestUsers.CreateAsync(stack.Database, "admin1", DrawRoles.Admin);
        for (var i = 0; i < 24; i++)
        {
            await TestUsers.CreateAsync(stack.Database, $"user{i:00}", DrawRoles.Viewer);
        }

        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "admin1", adminPassword);
        await Chromium.OpenAsync(page, stack.WebUrl + "/admin/users");
        await Assertions.Expect(page.Locator("#users-grid")).ToContainTextAsync("user00");

        await page.FillAsync("#new-user-name", "newphysicist");
        await page.ClickAsync("#create-user");
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("The password for newphysicist is");
        var text = await dialog.InnerTextAsync();
        var password = text.Split("is ", 2)[1].Split(' ', 2)[0].Trim();
        await Chromium.ScreenshotAsync(page, "users-password-dialog");
        await page.Locator(".rz-dialog button", new() { HasText = "Ok" }).ClickAsync();

        // 26 users, 20 per page: the new one (alphabetically before "user..") is on page 1, user23 on page 2.
        await Assertions.Expect(page.Locator("#users-grid")).Not.ToContainTextAsync("user23");
        await page.Locator("#users-grid .rz-pager-next").ClickAsync();
        await Assertions.Expect(page.Locator("#users-grid")).ToContainTextAsync("user23");
        await Chromium.ScreenshotAsync(page, "users-page-2");

        // The shown password works.
        var (other, _) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(other, stack.WebUrl, "newphysicist", password);
        await Assertions.Expect(other.Locator("#current-user")).ToHaveTextAsync("newphysicist");
        Assert.Empty(consoleErrors);
    }
}
