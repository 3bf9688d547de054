using Draw.Testing.Database;
using Draw.Testing.Series;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Series;

/// <summary>How the series page tests read and drive the page (ids and data attributes the page renders for them).</summary>
internal static class SeriesPage
{
    /// <summary>The series page's browser tests run one at a time: each starts the product and a browser on a small shared machine.</summary>
    public const string Collection = "series page";

    public static readonly DateTime SeededAt = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    public static ILocator Grid(IPage page) => page.Locator("#series-grid");

    public static ILocator Row(IPage page, long seriesId) => page.Locator($"#series-grid tr[data-series-id='{seriesId}']");

    /// <summary>
    /// Opens a Radzen drop-down and clicks the item with exactly this text. On a loaded machine a click can land
    /// while the page re-renders and the panel never opens (seen once in a full test run), so the drop-down is
    /// clicked again when no item shows within a few seconds, for up to a minute in all.
    /// </summary>
    public static async Task PickAsync(IPage page, ILocator dropDown, string text)
    {
        var item = page.Locator(".rz-dropdown-panel:visible .rz-dropdown-item, .rz-multiselect-panel:visible .rz-multiselect-item")
            .Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(text)}\\s*$") })
            .First;
        for (var attempt = 1; ; attempt++)
        {
            await dropDown.ClickAsync();
            try
            {
                await item.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 6)
            {
            }
        }

        await item.ClickAsync();
    }

    /// <summary>Waits until the page shows the total of <paramref name="expected"/> and its rows from <paramref name="skip"/>, in order.</summary>
    public static async Task ExpectRowsAsync(IPage page, IReadOnlyList<SeededSeries> expected, int skip = 0, int pageSize = 25)
    {
        await Assertions.Expect(page.Locator("#series-total")).ToHaveAttributeAsync("data-total", expected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ids = expected.Skip(skip).Take(pageSize).Select(s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var rows = page.Locator("#series-grid tbody tr[data-series-id]");
        await Assertions.Expect(rows).ToHaveCountAsync(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            await Assertions.Expect(rows.Nth(i)).ToHaveAttributeAsync("data-series-id", ids[i]);
        }
    }

    /// <summary>1,200 series over three templates, as <see cref="SeriesSeeder"/> makes them; the newest change first.</summary>
    public static async Task<(IReadOnlyList<SeededSeries> Series, IReadOnlyList<long> Templates)> SeedAsync(TestDatabase database, int count = 1200)
    {
        var (series, templates) = await SeriesSeeder.SeedWithTemplatesAsync(database.CreateContext, count, SeededAt);
        return ([.. series.OrderByDescending(s => s.StatusChangedAt).ThenByDescending(s => s.Id)], templates);
    }
}
