using System.Text.Json;
using Draw.Domain.Index;
using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Series;

/// <summary>
/// One-click send, the confirmation before a resend, and multi-select send, read back as the commands
/// the workers would run (no worker runs here, so the queued commands stay as the page wrote them).
/// </summary>
[Collection(SeriesPage.Collection)]
public sealed class SeriesSendTests
{
    [Fact]
    public async Task Send_is_one_click_a_resend_asks_first_and_multi_select_queues_every_selected_series()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);
        var (seeded, templates) = await SeriesPage.SeedAsync(stack.Database, 40);
        var password = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", password);
        await Chromium.OpenAsync(page, stack.WebUrl + "/series");
        var onPage = seeded.Take(25).ToList();
        await SeriesPage.ExpectRowsAsync(page, seeded);

        // Never sent, no template yet: pick one, one click, no question asked.
        var fresh = onPage.First(s => s.Status.CanSend() && s.TemplateId is null);
        var row = SeriesPage.Row(page, fresh.Id);
        await Assertions.Expect(row.Locator(".send-series")).ToBeDisabledAsync();
        await SeriesPage.PickAsync(page, row.Locator(".row-template"), "Seeded 3");
        await row.Locator(".send-series").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-message").Last).ToContainTextAsync("1 series queued for processing");
        await Assertions.Expect(page.Locator(".rz-dialog")).ToHaveCountAsync(0);
        Assert.Equal([(fresh.Id, templates[2])], await ChosenAsync(stack));

        // Sent before: the page asks; "Keep" queues nothing, "Send again" queues it with its own template.
        var sent = onPage.First(s => s.Sent && s.Status.CanSend());
        row = SeriesPage.Row(page, sent.Id);
        await row.Locator(".send-series").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-dialog")).ToContainTextAsync("This series was sent before");
        await Chromium.ScreenshotAsync(page, "series-resend-confirmation");
        await page.Locator(".rz-dialog button", new() { HasText = "Keep" }).ClickAsync();
        await Assertions.Expect(page.Locator(".rz-dialog")).ToHaveCountAsync(0);
        Assert.Single(await ChosenAsync(stack));
        await row.Locator(".send-series").ClickAsync();
        await page.Locator(".rz-dialog button", new() { HasText = "Send again" }).ClickAsync();
        await Eventually.ValueAsync(async () => (await ChosenAsync(stack)).Count == 2 ? "" : null, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), () => Task.FromResult("no second command"));
        Assert.Equal((sent.Id, sent.TemplateId!.Value), (await ChosenAsync(stack))[1]);

        // Three never-sent rows selected, one template for all from the bottom bar.
        var three = onPage.Where(s => s.Status.CanSend() && !s.Sent && s.Id != fresh.Id).Take(3).ToList();
        Assert.Equal(3, three.Count);
        foreach (var s in three)
        {
            await SeriesPage.Row(page, s.Id).Locator(".select-series").ClickAsync();
        }

        await Assertions.Expect(page.Locator("#selection-count")).ToHaveTextAsync("3 selected");
        await SeriesPage.PickAsync(page, page.Locator("#bulk-template"), "Seeded 1");
        await Chromium.ScreenshotAsync(page, "series-selection-bar");
        await page.ClickAsync("#send-selected");
        await Assertions.Expect(page.Locator("#selection-bar")).ToHaveCountAsync(0);
        var commands = await ChosenAsync(stack);
        Assert.Equal(three.Select(s => (s.Id, templates[0])).Order(), commands.Skip(2).Order());
        await using (var db = stack.Database.CreateContext())
        {
            Assert.All(await db.WorkCommands.ToListAsync(), c => Assert.Equal("phys", c.RequestedBy));
        }

        Assert.Empty(consoleErrors);
    }

    /// <summary>The ChooseTemplate commands queued so far, in order, as (series, template).</summary>
    private static async Task<List<(long Series, long Template)>> ChosenAsync(DrawStack stack)
    {
        await using var db = stack.Database.CreateContext();
        var payloads = await db.WorkCommands.AsNoTracking().Where(c => c.Kind == WorkCommandKinds.ChooseTemplate).OrderBy(c => c.Id).Select(c => c.Payload).ToListAsync();
        return [.. payloads.Select(p =>
        {
            using var json = JsonDocument.Parse(p);
            return (json.RootElement.GetProperty("seriesId").GetInt64(), json.RootElement.GetProperty("templateId").GetInt64());
        })];
    }
}
