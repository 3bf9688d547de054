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

/// <summary>Who may edit templates and rules, as the browser shows it and as the server enforces it; and deleting a template in use.</summary>
public sealed class AccessAndDeletionTests
{
    [Fact]
    public async Task A_physicist_sees_the_editors_read_only_and_the_server_refuses_a_save_from_a_page_opened_before_a_demotion()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);
        var (templateId, groupId) = await SeedAsync(stack);
        var physicistPassword = await TestUsers.CreateAsync(stack.Database, "phys", DrawRoles.Physicist);
        var adminPassword = await TestUsers.CreateAsync(stack.Database, "boss", DrawRoles.Admin);
        await using var chromium = await Chromium.LaunchAsync();

        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "phys", physicistPassword);
        await Chromium.OpenAsync(page, stack.WebUrl + "/templates");
        await Assertions.Expect(page.Locator("#read-only-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#templates-grid")).ToContainTextAsync("Thorax");
        await Assertions.Expect(page.Locator("#new-template")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".delete-template")).ToHaveCountAsync(0);
        await Chromium.OpenAsync(page, $"{stack.WebUrl}/templates/{templateId}");
        await Assertions.Expect(page.Locator("#yaml-preview")).ToContainTextAsync("name: Thorax");
        await Assertions.Expect(page.Locator("#template-name")).ToBeDisabledAsync();
        await Assertions.Expect(StructureRow(page, "Lung_L").Locator(".structure-label")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#save-template")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#delete-template")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "template-editor-read-only");
        await Chromium.OpenAsync(page, $"{stack.WebUrl}/rules/{groupId}");
        await Assertions.Expect(page.Locator("#group-expression")).ToHaveTextAsync("[modality] AND [protocol]");
        await Assertions.Expect(Rule(page, 1, 1).Locator(".tag-input")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#save-group")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#add-ruleset")).ToHaveCountAsync(0);
        await Chromium.OpenAsync(page, stack.WebUrl + "/rules");
        await Assertions.Expect(page.Locator("#new-group")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".group-enabled.rz-state-disabled")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "rules-read-only");

        // An admin's editor is open; meanwhile the admin becomes a physicist. The page still shows
        // Save, but the server asks the database and refuses.
        var (adminPage, adminErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(adminPage, stack.WebUrl, "boss", adminPassword);
        await Chromium.OpenAsync(adminPage, $"{stack.WebUrl}/templates/{templateId}");
        await StructureRow(adminPage, "Lung_L").Locator(".structure-label").FillAsync("Left lung");
        await using (var db = stack.Database.CreateContext())
        {
            await SetRoleAsync(db, "boss", DrawRoles.Physicist);
        }

        await adminPage.ClickAsync("#save-template");
        await Assertions.Expect(adminPage.Locator("#template-errors")).ToContainTextAsync("boss may not edit templates and rules: only an Admin may, and boss has Physicist");
        await Assertions.Expect(adminPage.Locator(".rz-notification-message")).ToContainTextAsync("Not allowed");
        await using (var db = stack.Database.CreateContext())
        {
            var template = (await db.LoadTemplateAsync(templateId, CancellationToken.None))!;
            Assert.Equal("Lung L", template.Structures.Single(s => s.Name == "Lung_L").RoiLabel);
            Assert.Equal("seed", template.UpdatedBy);
        }

        Assert.Empty(consoleErrors);
        Assert.Empty(adminErrors);
    }

    [Fact]
    public async Task Deleting_a_template_that_rules_use_is_refused_with_their_names_and_an_unused_one_is_deleted_after_confirmation()
    {
        await using var stack = await DrawStack.StartAsync(startWorker: false);
        var (templateId, _) = await SeedAsync(stack);
        long spareId;
        await using (var db = stack.Database.CreateContext())
        {
            spareId = (await db.SaveTemplateAsync(Draft("Spare"), "seed", TimeProvider.System, CancellationToken.None)).Id;
        }

        var password = await TestUsers.CreateAsync(stack.Database, "chief", DrawRoles.Admin);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await chromium.NewPageAsync();
        await Chromium.SignInAsync(page, stack.WebUrl, "chief", password);

        await Chromium.OpenAsync(page, $"{stack.WebUrl}/templates/{templateId}");
        await Assertions.Expect(page.Locator("#template-used-by")).ToContainTextAsync("Thorax CT");
        await page.ClickAsync("#delete-template");
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Template 'Thorax' is used by rule group(s) 'Thorax CT'. It cannot be deleted");
        await Chromium.ScreenshotAsync(page, "template-delete-in-use");
        await dialog.Locator("button", new() { HasText = "OK" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        await Chromium.OpenAsync(page, stack.WebUrl + "/templates");
        await page.Locator(".rz-data-row", new() { HasText = "Spare" }).Locator(".delete-template").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Delete template 'Spare'?");
        await dialog.Locator("button", new() { HasText = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-message")).ToContainTextAsync("Template deleted");
        await Assertions.Expect(page.Locator("#templates-grid")).Not.ToContainTextAsync("Spare");

        await using (var db = stack.Database.CreateContext())
        {
            Assert.True(await db.Templates.AnyAsync(t => t.Id == templateId));
            Assert.False(await db.Templates.AnyAsync(t => t.Id == spareId));
        }

        Assert.Empty(consoleErrors);
    }

    private static TemplateDraft Draft(string name) => new()
    {
        Name = name,
        Backend = SampleCatalogue.Backend,
        Structures = [new StructureChoice(7, 1, "Lung L"), new StructureChoice(7, 3)],
    };

    /// <summary>The sample DRAW catalogue, a template and a rule group using it, written through the product's code.</summary>
    private static async Task<(long Template, long Group)> SeedAsync(DrawStack stack)
    {
        await using var db = stack.Database.CreateContext();
        await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        var template = await db.SaveTemplateAsync(Draft("Thorax"), "seed", TimeProvider.System, CancellationToken.None);
        var group = await db.SaveRuleGroupAsync(new RuleGroupDraft
        {
            Name = "Thorax CT",
            TemplateId = template.Id,
            RuleSets =
            [
                new RuleSetDraft("modality", [new RuleDraft("Modality", RuleOperator.EqualTo, "CT")]),
                new RuleSetDraft("protocol", [new RuleDraft("ProtocolName", RuleOperator.ContainsIgnoreCase, "thorax")]),
            ],
        }, "seed", TimeProvider.System, CancellationToken.None);
        return (template.Id, group.Id);
    }
}
