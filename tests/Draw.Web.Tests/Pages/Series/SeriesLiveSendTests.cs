using Draw.Domain.Index;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Catalogue;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Series;

/// <summary>The whole product (web, worker, built-in local engine) driven from the series page.</summary>
[Collection(SeriesPage.Collection)]
public sealed class SeriesLiveSendTests
{
    [Fact]
    public async Task A_physicist_picks_a_template_on_an_unmatched_series_sends_it_with_one_click_and_watches_it_move_live_to_RT_Structure_Exported()
    {
        await using var stack = await DrawStack.StartAsync(settings: new Dictionary<string, string> { ["Draw__Pipeline__PollIntervalSeconds"] = "1" });
        using var images = new TempFolder("draw-series-send");
        foreach (var file in SampleSeries.Files(SampleSeries.LungCt).Take(40))
        {
            File.Copy(file, Path.Combine(images.Path, Path.GetFileName(file)));
        }

        long seriesId;
        await using (var db = stack.Database.CreateContext())
        {
            // The worker caches the local engine's catalogue at start-up; a template is made from it as an admin would.
            await Eventually.ValueAsync(
                async () => await db.CatalogueBackends.AnyAsync(b => b.Name == "local") ? "" : null,
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200), () => Task.FromResult($"no local catalogue\n{stack.Logs}"));
            await db.SaveTemplateAsync(new TemplateDraft
            {
                Name = "Body and lungs (local)",
                Backend = "local",
                Structures = [new StructureChoice(9001, 1, "BODY", "0\\255\\0", "EXTERNAL"), new StructureChoice(9001, 2, "Lung_L"), new StructureChoice(9001, 3, "Lung_R")],
            }, "admin", TimeProvider.System, CancellationToken.None);
            seriesId = await SampleSeries.IndexAsync(db, images.Path, take: 40, status: SeriesStatus.RuleNotMatched);
        }

        var password = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", password);
        await Chromium.OpenAsync(page, stack.WebUrl + "/series");
        var row = SeriesPage.Row(page, seriesId);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", nameof(SeriesStatus.RuleNotMatched));

        // A marker in the page's window: a reload would lose it.
        await page.EvaluateAsync("() => window.drawNoReload = true");
        await SeriesPage.PickAsync(page, row.Locator(".row-template"), "Body and lungs (local)");
        await row.Locator(".send-series").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-message").Last).ToContainTextAsync("1 series queued for processing");

        // Watch the row's status change on its own until it is exported.
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (seen.LastOrDefault() != nameof(SeriesStatus.RtStructureExported))
        {
            var status = await row.GetAttributeAsync("data-status") ?? "";
            if (seen.LastOrDefault() != status)
            {
                seen.Add(status);
            }

            if (status.Length > 0 && Enum.Parse<SeriesStatus>(status).IsFailure() || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"statuses seen: {string.Join(" > ", seen)}\n{stack.Logs}");
            }

            await Task.Delay(100);
        }

        Assert.True(await page.EvaluateAsync<bool>("() => window.drawNoReload === true"), "the page was reloaded");
        Assert.Equal(nameof(SeriesStatus.RuleNotMatched), seen[0]);
        Assert.True(seen.Count >= 3, $"no step in between was shown: {string.Join(" > ", seen)}");
        await Assertions.Expect(row.Locator(".series-status")).ToHaveTextAsync("RT Structure Exported");
        await Assertions.Expect(row.Locator(".backend-status")).ToHaveTextAsync("Done: SEGMENTATION COMPLETED");
        // Exported: sending again stays possible (it asks first) for a new result.
        await Assertions.Expect(row.Locator(".send-series")).ToBeEnabledAsync();
        var written = Assert.Single(Directory.GetFiles(images.Path, "RS_*.dcm"));
        await Chromium.ScreenshotAsync(page, "series-exported");

        await row.Locator("td").Nth(1).ClickAsync();
        await OpenTabAsync(page, "RT structures (1)");
        await Assertions.Expect(page.Locator("#series-rtstructs")).ToContainTextAsync(written);
        await Chromium.ScreenshotAsync(page, "series-detail-rtstructs");
        await OpenTabAsync(page, "Exports");
        await Chromium.ScreenshotAsync(page, "series-detail-exports");
        await Assertions.Expect(page.Locator("#series-exports .export-row")).ToContainTextAsync(written);
        await OpenTabAsync(page, "Matched rules");
        await Assertions.Expect(page.Locator("#series-match")).ToContainTextAsync("chosen by phys");
        Assert.Empty(consoleErrors);
    }

    private static async Task OpenTabAsync(IPage page, string name)
    {
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-selected", "true");
    }
}
