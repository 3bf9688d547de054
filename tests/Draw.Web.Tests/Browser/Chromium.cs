using Draw.Testing;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Browser;

/// <summary>Debian's Chromium driven by Playwright, headless, with nothing reaching outside the machine.</summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (./test.sh does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A fresh browser context (own cookies) at 1440x900, collecting console errors.</summary>
    public async Task<(IPage Page, List<string> ConsoleErrors)> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return (page, errors);
    }

    public static async Task SignInAsync(IPage page, string baseUrl, string userName, string password)
    {
        await page.GotoAsync(baseUrl + "/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        // As patient as the circuit wait below: under a loaded test run the sign-in post itself can be slow.
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 90_000 });
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits until the page's circuit is interactive (the layout's marker), so input reaches the server.
    /// Up to 90 s: the first circuit of a freshly started web process JITs the whole Blazor stack, and
    /// the test run starts several processes at once on two cores.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("#interactive-marker[data-ready='true']", new() { State = WaitForSelectorState.Attached, Timeout = 90_000 });

    /// <summary>Navigates and waits for interactivity.</summary>
    public static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitForInteractiveAsync(page);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestArtifacts.Folder("screenshots"), name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
