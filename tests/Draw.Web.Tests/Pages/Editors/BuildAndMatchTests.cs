using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Catalogue;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Draw.Web.Tests.Pages.Editors.EditorSteps;

namespace Draw.Web.Tests.Pages.Editors;

/// <summary>An admin builds a template and a rule group in the browser, tests it, saves it, and the worker then matches a new series with it.</summary>
public sealed class BuildAndMatchTests
{
    [Fact]
    public async Task An_admin_builds_a_template_writes_two_rulesets_tests_them_saves_and_a_new_series_is_matched()
    {
        var settings = new Dictionary<string, string> { ["Draw__Ingest__CompletionCheckSeconds"] = "1" };
        await using var stack = await DrawStack.StartAsync(settings: settings);
        var password = await TestUsers.CreateAsync(stack.Database, "chief", DrawRoles.Admin);
        long mrSeries;
        await using (var db = stack.Database.CreateContext())
        {
            // A series already decided, to test against; the worker leaves it alone.
            mrSeries = await SampleSeries.IndexAsync(db, SampleSeries.SarcomaMr, status: SeriesStatus.RuleNotMatched);
        }

        await Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await db.CachedCatalogueAsync("local", CancellationToken.None);
            },
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), () => Task.FromResult($"the worker did not cache the local catalogue\n{stack.Logs}"));

        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "chief", password);

        // The template: three structures from the local engine's catalogue, one renamed, one recoloured.
        await Chromium.OpenAsync(page, stack.WebUrl + "/templates");
        await page.ClickAsync("#new-template");
        await Assertions.Expect(page.Locator("#structure-picker")).ToContainTextAsync("Lung-Left");
        await page.FillAsync("#template-name", "Lung CT local");
        await page.FillAsync("#picker-search", "thorax");
        await Assertions.Expect(page.Locator(".picker-row")).ToHaveCountAsync(2);
        await PickStructureAsync(page, "Lung-Left", 9001);
        await PickStructureAsync(page, "Lung-Right", 9001);
        await page.FillAsync("#picker-search", "");
        await Assertions.Expect(page.Locator(".picker-row").First).ToHaveAttributeAsync("data-structure", "Lung-Left"); // selected first
        await PickStructureAsync(page, "External", 9001);
        await Assertions.Expect(page.Locator(".structure-row")).ToHaveCountAsync(3);

        await StructureRow(page, "Lung-Left").Locator(".structure-label").FillAsync("Left lung with a long label");
        await Assertions.Expect(page.Locator("#selected-structures .validation-item")).ToContainTextAsync("ROI label 'Left lung with a long label' is longer than 16 characters");
        await StructureRow(page, "Lung-Left").Locator(".structure-label").FillAsync("Lung L");
        await StructureRow(page, "Lung-Right").Locator(".color-text").FillAsync("#00ff00");
        await Assertions.Expect(page.Locator("#template-errors")).ToContainTextAsync("No problem");
        var yaml = page.Locator("#yaml-preview");
        await Assertions.Expect(yaml).ToContainTextAsync("name: Lung CT local");
        await Assertions.Expect(yaml).ToContainTextAsync("9001:");
        await Assertions.Expect(yaml).ToContainTextAsync("2: Lung-Left");
        await Chromium.ScreenshotAsync(page, "template-editor");
        await page.ClickAsync("#save-template");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/templates/[0-9]+$"));
        long templateId;
        await using (var db = stack.Database.CreateContext())
        {
            var template = await db.Templates.SingleAsync(t => t.Name == "Lung CT local");
            templateId = template.Id;
            var saved = (await db.LoadTemplateAsync(templateId, CancellationToken.None))!;
            Assert.Equal(
                ["1 External 255\\255\\0", "2 Lung L 255\\255\\0", "3 Lung-Right 0\\255\\0"],
                saved.Structures.OrderBy(s => s.MapId).Select(s => $"{s.MapId} {s.RoiLabel} {s.Color}"));
            Assert.Equal("chief", saved.UpdatedBy);
        }

        // The rule group: [CT thorax] OR [MR], built with the tag picker; a bad date is refused inline and on saving.
        await page.ClickAsync("#new-group-for-template");
        await Assertions.Expect(page.Locator("#group-template")).ToContainTextAsync("Lung CT local");
        await page.FillAsync("#group-name", "Lung CT or MR");
        await RuleSet(page, 1).Locator(".ruleset-name").FillAsync("CT thorax");
        await PickTagAsync(page, 1, 1, "modal", "Modality");
        await FillValueAsync(page, 1, 1, "CT");
        await RuleSet(page, 1).Locator(".add-rule").ClickAsync();
        await PickTagAsync(page, 1, 2, "body part", "BodyPartExamined");
        await FillValueAsync(page, 1, 2, "LUNG");
        await RuleSet(page, 1).Locator(".add-rule").ClickAsync();
        await PickTagAsync(page, 1, 3, "study date", "StudyDate");
        await FillValueAsync(page, 1, 3, "2024-13-45");
        var dateError = RuleSet(page, 1).Locator(".rule-error[data-rule='3']");
        await Assertions.Expect(dateError).ToHaveTextAsync("StudyDate (0008,0020) is DA: a date is written YYYYMMDD, without separators (2024-01-31 is 20240131)");
        await FillValueAsync(page, 1, 3, "20241345");
        await Assertions.Expect(dateError).ToHaveTextAsync("StudyDate (0008,0020) is DA: a date must be a valid YYYYMMDD");
        await page.ClickAsync("#add-ruleset");
        await RuleSet(page, 2).Locator(".ruleset-name").FillAsync("MR");
        await PickTagAsync(page, 2, 1, "(0008,0060)", "Modality");
        await FillValueAsync(page, 2, 1, "MR");
        await Assertions.Expect(page.Locator("#group-expression")).ToHaveTextAsync("[CT thorax] OR [MR]");
        await Assertions.Expect(RuleSet(page, 1).Locator(".ruleset-expression")).ToHaveTextAsync("rule 1 AND rule 2 AND rule 3");
        await Assertions.Expect(page.Locator(".or-divider")).ToHaveCountAsync(1);
        await page.ClickAsync("#save-group");
        await Assertions.Expect(page.Locator("#group-errors")).ToContainTextAsync("CT thorax, rule 3: StudyDate (0008,0020) is DA: a date must be a valid YYYYMMDD");
        await Chromium.ScreenshotAsync(page, "rule-editor-invalid");
        await Rule(page, 1, 3).Locator(".rule-remove").ClickAsync();
        await Assertions.Expect(RuleSet(page, 1).Locator(".rule-row")).ToHaveCountAsync(2);

        // The Test panel against the MR series: [CT thorax] fails on the modality found, [MR] holds.
        await page.FillAsync("#test-series-search", "STS_001");
        await page.ClickAsync("#test-series-find");
        await page.Locator($".test-series-row[data-series-id='{mrSeries}'] .test-series-choice").ClickAsync();
        await page.ClickAsync("#run-test");
        var result = page.Locator("#test-result");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-matched", "true");
        await Assertions.Expect(result.Locator(".test-ruleset").Nth(0)).ToHaveAttributeAsync("data-matched", "false");
        await Assertions.Expect(result.Locator(".test-ruleset").Nth(1)).ToHaveAttributeAsync("data-matched", "true");
        var firstRule = result.Locator(".test-ruleset").Nth(0).Locator(".test-rule").Nth(0);
        await Assertions.Expect(firstRule).ToHaveAttributeAsync("data-matched", "false");
        await Assertions.Expect(firstRule.Locator(".test-found")).ToContainTextAsync("MR");
        await Assertions.Expect(result.Locator(".test-ruleset").Nth(1).Locator(".test-rule .test-found")).ToContainTextAsync("MR");
        await Assertions.Expect(result.Locator(".test-rule")).ToHaveCountAsync(3);
        await Chromium.ScreenshotAsync(page, "rule-editor-test");

        await page.ClickAsync("#save-group");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/rules/[0-9]+$"));
        long groupId;
        await using (var db = stack.Database.CreateContext())
        {
            var group = (await db.LoadRuleGroupAsync(await db.RuleGroups.Where(g => g.Name == "Lung CT or MR").Select(g => g.Id).SingleAsync(), CancellationToken.None))!;
            groupId = group.Id;
            Assert.Equal(templateId, group.TemplateId);
            Assert.Equal(["CT thorax", "MR"], group.RuleSets.Select(s => s.Name));
            Assert.Equal(RuleJoin.Or, group.RuleSets[1].Join);
            Assert.Equal(["(0008,0060) EqualTo CT", "(0018,0015) EqualTo LUNG"], group.RuleSets[0].Rules.Select(r => $"{r.TagPath} {r.Operator} {r.Value}"));
        }

        await Assertions.Expect(page.Locator("#matched-series-empty")).ToBeVisibleAsync();

        // A new CT series arrives in a datastore: the worker matches it with the saved group, and the group's page shows it live.
        using var datastore = new TempFolder("draw-editors-datastore");
        Directory.CreateDirectory(Path.Combine(datastore.Path, "lung"));
        foreach (var file in SampleSeries.Files(SampleSeries.LungCt).Take(6))
        {
            File.Copy(file, Path.Combine(datastore.Path, "lung", Path.GetFileName(file)));
        }

        await using (var db = stack.Database.CreateContext())
        {
            await db.SaveAsync(new Datastore { Name = "site", Path = datastore.Path, IntervalSeconds = 5, QuietPeriodSeconds = 0 }, TimeProvider.System, CancellationToken.None);
        }

        var match = await Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await db.SeriesMatches.AsNoTracking().FirstOrDefaultAsync(m => m.RuleGroupId == groupId);
            },
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200), () => Task.FromResult($"the new series was not matched by the group\n{stack.Logs}"));
        Assert.Equal((templateId, MatchOutcome.Matched), (match.TemplateId, match.Outcome));
        await Assertions.Expect(page.Locator(".matched-series-row")).ToContainTextAsync("LUNG1-001", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(".matched-series-row .matched-template")).ToHaveTextAsync("Lung CT local");
        await Chromium.ScreenshotAsync(page, "rule-editor");

        await Chromium.OpenAsync(page, stack.WebUrl + "/rules");
        await Assertions.Expect(page.Locator("#groups-grid")).ToContainTextAsync("[CT thorax] OR [MR]");
        await Chromium.ScreenshotAsync(page, "rules");
        await Chromium.OpenAsync(page, stack.WebUrl + "/templates");
        await Assertions.Expect(page.Locator("#templates-grid .template-rule")).ToHaveTextAsync("Lung CT or MR");
        await Chromium.ScreenshotAsync(page, "templates");
        Assert.Empty(consoleErrors);
    }
}
