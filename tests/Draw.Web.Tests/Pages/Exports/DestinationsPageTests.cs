using Draw.Domain.Export;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Peers;
using Draw.Testing.Processes;
using Draw.Web.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Draw.Web.Tests.Pages.Exports;

/// <summary>The Destinations page against a real web and worker: forms, the domain's inline validation, worker-answered tests, export rules.</summary>
public sealed class DestinationsPageTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions WorkerAnswer = new() { Timeout = 60_000 };

    [Fact]
    public async Task An_admin_fixes_a_bad_folder_pattern_saves_and_a_worker_finds_the_folder_writable_then_adds_a_rule_and_deletes_with_a_warning()
    {
        await using var stack = await DrawStack.StartAsync();
        using var root = new TempFolder("draw-dest-folder");
        await using (var db = stack.Database.CreateContext())
        {
            db.Templates.Add(new Draw.Domain.Templates.Template { Name = "Thorax", Backend = "local", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await SignedInPage.OpenAsync(chromium, stack, "admin1", DrawRoles.Admin, "/destinations");
        await Assertions.Expect(page.Locator("#destinations-grid")).ToContainTextAsync("Write-back");

        await page.ClickAsync("#add-folder");
        await page.FillAsync("#dest-name", "Planning share");
        await page.FillAsync("#dest-folder-root", root.Path);
        // A placeholder in the wrong case: the domain's message names it, under the field, as it is typed.
        await page.FillAsync("#dest-file-pattern", "DRAW_{PatientId}_{SOPInstanceUID}.dcm");
        var fileProblem = page.Locator(".field-problem[data-field='FileNamePattern']");
        await Assertions.Expect(fileProblem).ToContainTextAsync("unknown placeholder {PatientId}");
        await Assertions.Expect(page.Locator("#naming-example-missing")).ToContainTextAsync("Fix the patterns");
        await Assertions.Expect(page.Locator("#naming-preview")).ToContainTextAsync("{SeriesDescription}");
        await page.ClickAsync("#dest-save");
        await Assertions.Expect(page.Locator("#destination-editor")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "destination-editor-error");

        await page.FillAsync("#dest-file-pattern", "DRAW_{PatientID}_{SOPInstanceUID}.dcm");
        await Assertions.Expect(fileProblem).ToHaveCountAsync(0);
        // Nothing is indexed, so the example uses the made-up sample's values.
        await Assertions.Expect(page.Locator("#naming-example")).ToHaveTextAsync(Path.Combine(root.Path, "PAT-0001", $"DRAW_PAT-0001_{NamingSampleUid}.dcm"));
        await page.ClickAsync("#dest-save");
        await Assertions.Expect(page.Locator("#destination-editor")).ToHaveCountAsync(0);
        var row = page.Locator("#destinations-grid tbody tr", new() { HasText = "Planning share" });
        await Assertions.Expect(row).ToContainTextAsync(root.Path);

        await using (var db = stack.Database.CreateContext())
        {
            var saved = await db.ExportDestinations.SingleAsync(d => d.Name == "Planning share");
            Assert.Equal((DestinationKind.Folder, root.Path, "DRAW_{PatientID}_{SOPInstanceUID}.dcm", "admin1"), (saved.Kind, saved.FolderRoot, saved.FileNamePattern, saved.UpdatedBy));
        }

        // Test: a worker writes and removes a probe file in the root and answers through the command row.
        await row.Locator(".destination-test-button").ClickAsync();
        var test = page.Locator(".destination-test[data-destination='Planning share']");
        await Assertions.Expect(page.Locator(".destination-test[data-destination='Planning share'][data-state='Ok']")).ToBeVisibleAsync(WorkerAnswer);
        await Assertions.Expect(test.Locator(".test-result")).ToContainTextAsync("writable");
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));

        // A global rule sends every result there, and a rule for one template; the second is then disabled.
        await page.ClickAsync("#rule-destination");
        await page.Locator(".rz-popup .rz-dropdown-item", new() { HasText = "Planning share" }).ClickAsync();
        await page.ClickAsync("#rule-add");
        var rules = page.Locator("#rules-grid tbody tr", new() { HasText = "Planning share" });
        await Assertions.Expect(rules).ToHaveCountAsync(1);
        await Assertions.Expect(rules.First).ToContainTextAsync("global");
        await page.ClickAsync("#rule-template");
        await page.Locator(".rz-popup .rz-dropdown-item", new() { HasText = "Thorax" }).ClickAsync();
        await page.ClickAsync("#rule-add");
        var thoraxRule = page.Locator("#rules-grid tbody tr", new() { HasText = "Thorax" });
        await Assertions.Expect(thoraxRule).ToContainTextAsync("Planning share");
        await thoraxRule.Locator(".rule-enabled").ClickAsync();
        await Assertions.Expect(page.GetByText("Rule disabled")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("2");
        await using (var db = stack.Database.CreateContext())
        {
            var saved = await db.ExportRules.Where(r => r.Destination!.Name == "Planning share").OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(new (long?, bool)[] { (null, true), (saved[1].TemplateId, false) }, saved.Select(r => (r.TemplateId, r.Enabled)));
            Assert.NotNull(saved[1].TemplateId);
        }

        await Chromium.ScreenshotAsync(page, "destinations");

        // Delete warns that a rule uses it; the rule goes with it.
        await row.Locator(".destination-delete").ClickAsync();
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("2 export rule(s)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(rules).ToHaveCountAsync(0);
        Assert.Empty(consoleErrors);

        await using var check = stack.Database.CreateContext();
        Assert.False(await check.ExportDestinations.AnyAsync(d => d.Name == "Planning share"));
        Assert.Equal(1, await check.ExportRules.CountAsync());
        var command = await check.WorkCommands.SingleAsync(c => c.Kind == Draw.Domain.Work.WorkCommandKinds.TestDestination);
        Assert.Equal(("admin1", (string?)null), (command.RequestedBy, command.Error));
    }

    [Fact]
    public async Task A_dicom_node_destination_edited_with_fallbacks_echoes_storescp_and_one_at_a_closed_port_shows_the_failure()
    {
        await using var stack = await DrawStack.StartAsync();
        using var received = new TempFolder("draw-dest-storescp");
        var storePort = FreePort.Next();
        await using var storescp = await Dcmtk.StartStoreScpAsync(received.Path, storePort, "PLANNING");
        var closedPort = FreePort.Next();
        await ExportSeed.DicomNodeAsync(stack.Database, "Closed port", "NOBODY", closedPort);
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await SignedInPage.OpenAsync(chromium, stack, "admin2", DrawRoles.Admin, "/destinations");

        await page.ClickAsync("#add-dicom-node");
        await page.FillAsync("#dest-name", "Planning PACS");
        var nodes = page.Locator("#node-list .node-row");
        await FillNodeAsync(nodes.Nth(0), "SPARE", closedPort);
        await page.ClickAsync("#node-add");
        await FillNodeAsync(nodes.Nth(1), "PLANNING", storePort);
        // A port out of range is named with the node's place in the list.
        await nodes.Nth(1).Locator(".node-port input").FillAsync("70000");
        await nodes.Nth(1).Locator(".node-port input").PressAsync("Tab");
        await Assertions.Expect(page.Locator(".field-problem[data-field='Nodes[1].Port']")).ToContainTextAsync("fallback 1");
        await nodes.Nth(1).Locator(".node-port input").FillAsync(storePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await nodes.Nth(1).Locator(".node-port input").PressAsync("Tab");
        await Assertions.Expect(page.Locator(".field-problem")).ToHaveCountAsync(0);

        // PLANNING becomes the primary, then the spare fallback is removed.
        await nodes.Nth(1).Locator(".node-up").ClickAsync();
        await Assertions.Expect(nodes.Nth(0).Locator("input.node-ae")).ToHaveValueAsync("PLANNING");
        await Chromium.ScreenshotAsync(page, "destination-dicom-node-editor");
        await nodes.Nth(1).Locator(".node-remove").ClickAsync();
        await Assertions.Expect(nodes).ToHaveCountAsync(1);
        await page.ClickAsync("#dest-save");
        await Assertions.Expect(page.Locator("#destination-editor")).ToHaveCountAsync(0);

        await using (var db = stack.Database.CreateContext())
        {
            var saved = await db.ExportDestinations.Include(d => d.Nodes).SingleAsync(d => d.Name == "Planning PACS");
            var node = Assert.Single(saved.Nodes);
            Assert.Equal(("PLANNING", "127.0.0.1", storePort, 0), (node.AeTitle, node.Host, node.Port, node.Position));
        }

        var good = page.Locator("#destinations-grid tbody tr", new() { HasText = "Planning PACS" });
        await good.Locator(".destination-test-button").ClickAsync();
        await Assertions.Expect(page.Locator(".destination-test[data-destination='Planning PACS'][data-state='Ok']")).ToBeVisibleAsync(WorkerAnswer);
        await Assertions.Expect(good.Locator(".test-result")).ToContainTextAsync($"PLANNING@127.0.0.1:{storePort}: C-ECHO");

        var closed = page.Locator("#destinations-grid tbody tr", new() { HasText = "Closed port" });
        await closed.Locator(".destination-test-button").ClickAsync();
        await Assertions.Expect(page.Locator(".destination-test[data-destination='Closed port'][data-state='Failed']")).ToBeVisibleAsync(WorkerAnswer);
        await Assertions.Expect(closed.Locator(".test-result")).ToContainTextAsync("C-ECHO failed");
        await Assertions.Expect(closed.Locator(".test-badge")).ToHaveTextAsync("Failed");
        await Chromium.ScreenshotAsync(page, "destinations-tested");

        // Disabled from the list: the switch commits at once.
        await closed.Locator(".destination-enabled").ClickAsync();
        await Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await db.ExportDestinations.SingleOrDefaultAsync(d => d.Name == "Closed port" && !d.Enabled && d.UpdatedBy == "admin2");
            },
            TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(200),
            () => Task.FromResult(stack.Logs));
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task A_dicomweb_destination_keeps_its_authorization_header_masked_and_secret_and_its_stow_endpoint_tests_reachable()
    {
        await using var stack = await DrawStack.StartAsync();
        await using var orthanc = await OrthancServer.StartAsync([]);
        var stowUrl = $"http://127.0.0.1:{orthanc.HttpPort}/dicom-web/studies";
        const string Secret = "Bearer s3cret-token-never-shown";
        await using var chromium = await Chromium.LaunchAsync();
        var (page, consoleErrors) = await SignedInPage.OpenAsync(chromium, stack, "admin3", DrawRoles.Admin, "/destinations");

        await page.ClickAsync("#add-dicomweb");
        await page.FillAsync("#dest-name", "Research PACS");
        await page.FillAsync("#dest-stow-url", "ftp://nowhere");
        await Assertions.Expect(page.Locator(".field-problem[data-field='StowUrl']")).ToContainTextAsync("http or https");
        await page.FillAsync("#dest-stow-url", stowUrl);
        await page.FillAsync("#dest-auth", Secret);
        await page.ClickAsync("#dest-save");
        var row = page.Locator("#destinations-grid tbody tr", new() { HasText = "Research PACS" });
        await Assertions.Expect(row).ToContainTextAsync("Authorization: Bearer ****");

        // Editing shows the masked header; saving without "Replace" keeps the stored one.
        await row.Locator(".destination-edit").ClickAsync();
        await Assertions.Expect(page.Locator("#dest-auth-masked")).ToHaveTextAsync("Bearer ****");
        await Assertions.Expect(page.Locator("#dest-auth")).ToHaveCountAsync(0);
        await page.FillAsync("#dest-name", "Research STOW");
        await page.ClickAsync("#dest-save");
        row = page.Locator("#destinations-grid tbody tr", new() { HasText = "Research STOW" });
        await Assertions.Expect(row).ToContainTextAsync("Authorization: Bearer ****");
        Assert.DoesNotContain("s3cret", await page.ContentAsync(), StringComparison.Ordinal);
        await using (var db = stack.Database.CreateContext())
        {
            var saved = await db.ExportDestinations.SingleAsync(d => d.Kind == DestinationKind.DicomWeb);
            Assert.Equal(("Research STOW", stowUrl, Secret), (saved.Name, saved.StowUrl, saved.AuthorizationHeader));
        }

        await row.Locator(".destination-test-button").ClickAsync();
        await Assertions.Expect(page.Locator(".destination-test[data-destination='Research STOW'][data-state='Ok']")).ToBeVisibleAsync(WorkerAnswer);
        await Assertions.Expect(row.Locator(".test-result")).ToContainTextAsync("reachable");
        Assert.Empty(consoleErrors);
    }

    /// <summary>The example SOP instance UID of the made-up naming sample.</summary>
    private const string NamingSampleUid = "2.25.205197378106233473213734016287473930271";

    private static async Task FillNodeAsync(ILocator node, string aeTitle, int port)
    {
        await node.Locator("input.node-ae").FillAsync(aeTitle);
        await node.Locator("input.node-host").FillAsync("127.0.0.1");
        await node.Locator(".node-port input").FillAsync(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await node.Locator(".node-port input").PressAsync("Tab");
    }
}
