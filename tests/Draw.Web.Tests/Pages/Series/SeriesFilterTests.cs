using Draw.Domain.Index;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Testing.Series;
using Draw.Web.Tests.Browser;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Series;

/// <summary>The series page over 1,200 series seeded in the database: filters and search in the browser return exactly the right rows.</summary>
[Collection(SeriesPage.Collection)]
public sealed class SeriesFilterTests
{
    [Fact]
    public async Task Filters_and_search_return_the_right_rows_among_more_than_1000_series()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);
        var (seeded, templates) = await SeriesPage.SeedAsync(stack.Database);
        var password = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", password);
        await Chromium.OpenAsync(page, stack.WebUrl + "/series");

        await SeriesPage.ExpectRowsAsync(page, seeded);
        await Chromium.ScreenshotAsync(page, "series-1200");

        await SeriesPage.PickAsync(page, page.Locator("#filter-modality"), "MR");
        await SeriesPage.ExpectRowsAsync(page, Where(seeded, s => s.Modality == "MR"));

        await SeriesPage.PickAsync(page, page.Locator("#filter-template"), "Seeded 2");
        await SeriesPage.ExpectRowsAsync(page, Where(seeded, s => s.Modality == "MR" && s.TemplateId == templates[1]));

        await page.FillAsync("#filter-search", "an");
        await page.Keyboard.PressAsync("Enter");
        var mrSeeded2An = Where(seeded, s => s.Modality == "MR" && s.TemplateId == templates[1] && Has(s, "AN"));
        await SeriesPage.ExpectRowsAsync(page, mrSeeded2An);
        Assert.InRange(mrSeeded2An.Count, 1, 100);

        // Clear modality and template: the search alone, over patient ID, name, accession number and description.
        await page.Locator("#filter-modality .rz-dropdown-clear-icon").ClickAsync();
        await page.Locator("#filter-template .rz-dropdown-clear-icon").ClickAsync();
        await SeriesPage.ExpectRowsAsync(page, Where(seeded, s => Has(s, "AN")));
        foreach (var term in new[] { "seed00003", "acc001", "Neck" })
        {
            await page.FillAsync("#filter-search", term);
            await page.Keyboard.PressAsync("Enter");
            await SeriesPage.ExpectRowsAsync(page, Where(seeded, s => Has(s, term.ToUpperInvariant())));
        }

        await page.FillAsync("#filter-search", "");
        await page.Keyboard.PressAsync("Enter");
        await SeriesPage.PickAsync(page, page.Locator("#filter-status"), SeriesStatus.RuleNotMatched.Display());
        await SeriesPage.PickAsync(page, page.Locator("#filter-status"), SeriesStatus.SentToDrawServer.Display());
        await page.Keyboard.PressAsync("Escape");
        var twoStatuses = Where(seeded, s => s.Status is SeriesStatus.RuleNotMatched or SeriesStatus.SentToDrawServer);
        await SeriesPage.ExpectRowsAsync(page, twoStatuses);

        // Second page of the same filter.
        await page.Locator("#series-grid .rz-pager-next").ClickAsync();
        await SeriesPage.ExpectRowsAsync(page, twoStatuses, skip: 25);

        await page.FillAsync("#filter-from input", "2024-03-01");
        await page.Keyboard.PressAsync("Tab");
        await SeriesPage.ExpectRowsAsync(page, Where(twoStatuses, s => string.CompareOrdinal(s.StudyDate, "20240301") >= 0));
        await page.FillAsync("#filter-to input", "2024-06-15");
        await page.Keyboard.PressAsync("Tab");
        await SeriesPage.ExpectRowsAsync(page, Where(twoStatuses, s => string.CompareOrdinal(s.StudyDate, "20240301") >= 0 && string.CompareOrdinal(s.StudyDate, "20240615") <= 0));
        await Chromium.ScreenshotAsync(page, "series-filtered");
        Assert.Empty(consoleErrors);
    }

    private static List<SeededSeries> Where(IEnumerable<SeededSeries> seeded, Func<SeededSeries, bool> predicate) => [.. seeded.Where(predicate)];

    private static bool Has(SeededSeries s, string upper) =>
        new[] { s.PatientId, s.PatientName, s.AccessionNumber, s.Description }.Any(v => v.ToUpperInvariant().Contains(upper, StringComparison.Ordinal));
}
