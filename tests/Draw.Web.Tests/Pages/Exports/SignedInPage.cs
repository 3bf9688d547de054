using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Exports;

/// <summary>A new user of one role, signed in on a fresh page at 1440x900, on the page at <c>path</c>.</summary>
internal static class SignedInPage
{
    public static async Task<(IPage Page, List<string> ConsoleErrors)> OpenAsync(Chromium chromium, DrawStack stack, string userName, string role, string path)
    {
        var password = await TestUsers.CreateAsync(stack.Database, userName, role);
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, userName, password);
        await Chromium.OpenAsync(page, stack.WebUrl + path);
        return (page, consoleErrors);
    }
}
