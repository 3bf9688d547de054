using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Domain.Users;
using Draw.Testing;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Templates;

/// <summary>What the template editor relies on: previews, drafts, the picker, the list and who may edit.</summary>
public sealed class TemplateEditingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_preview_shows_the_yaml_saving_stores_and_a_saved_template_reads_back_as_the_same_draft(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        var catalogue = await db.CachedCatalogueAsync(SampleCatalogue.Backend, CancellationToken.None);
        var draft = TemplateAdministrationTests.Draft();

        var preview = TemplateEditing.Preview(draft, catalogue);
        var saved = await db.SaveTemplateAsync(draft, "admin", TimeProvider.System, CancellationToken.None);
        var loaded = (await db.LoadTemplateAsync(saved.Id, CancellationToken.None))!;

        Assert.Empty(preview.Errors);
        Assert.Equal(TemplateYaml.Write(loaded), preview.Yaml);
        Assert.Equal(loaded.YamlSha512, preview.Template.YamlSha512);
        Assert.StartsWith("name: Thorax\nprotocol: DRAW\nmodels:\n  3:\n", preview.Yaml, StringComparison.Ordinal);
        var again = loaded.ToDraft();
        Assert.Equal(
            ["3/2 SpinalCord 255\\255\\0 ORGAN", "7/1 Lung L 0\\255\\0 ORGAN", "7/3 Heart 255\\0\\0 OAR"],
            again.Structures.Select(s => $"{s.ModelId}/{s.MapId} {s.RoiLabel} {s.Color} {s.InterpretedType}"));
        Assert.Equal("Couch 0\\0\\255 SUPPORT", again.AdditionalStructures.Select(a => $"{a.RoiLabel} {a.Color} {a.InterpretedType}").Single());
        var resaved = await db.SaveTemplateAsync(again, "admin", TimeProvider.System, CancellationToken.None, saved.Id);
        Assert.Equal(saved.YamlSha512, resaved.YamlSha512);
    }

    [Fact]
    public void The_preview_lists_every_problem_saving_would_refuse()
    {
        var catalogue = new CatalogueBackend { Name = "draw" };
        var model = new CatalogueModel { ModelId = 7, Name = "ThoraxOAR" };
        model.Structures.Add(new CatalogueStructure { MapId = 1, Name = "Lung_L" });
        catalogue.Models.Add(model);
        var draft = new TemplateDraft
        {
            Name = " ",
            Backend = "draw",
            Structures = [new StructureChoice(7, 1, "A label far too long", "300,0,0"), new StructureChoice(7, 9)],
            AdditionalStructures = [new AdditionalStructureDraft("Couch", InterpretedType: "TABLE")],
        };

        var preview = TemplateEditing.Preview(draft, catalogue);

        Assert.False(preview.IsValid);
        Assert.Equal(
        [
            "name: is empty",
            "structure 7/1: ROI label 'A label far too long' is longer than 16 characters",
            "structure 7/1: colour '300,0,0' is not R\\G\\B (each 0-255) or #rrggbb",
            "structure 7/9: the catalogue of 'draw' has no model 7 with map id 9",
            $"additional structure 'Couch': RT ROI Interpreted Type 'TABLE' is not a defined term ({string.Join(", ", RoiProperties.InterpretedTypes)})",
        ], preview.Errors);
        Assert.Contains("backend: no cached catalogue for 'draw'; refresh it first", TemplateEditing.Preview(draft, null).Errors);
    }

    [Theory]
    [InlineData("rgb(12, 34, 56)", "12\\34\\56", "#0c2238")]
    [InlineData("rgba(255,0,128,0.5)", "255\\0\\128", "#ff0080")]
    [InlineData("#00FF7f", "0\\255\\127", "#00ff7f")]
    public void Colours_from_the_colour_picker_read_as_DICOM_and_go_back_as_hex(string picked, string dicom, string hex)
    {
        Assert.True(RoiProperties.TryNormalizeColor(picked, out var color));
        Assert.Equal(dicom, color);
        Assert.Equal(hex, RoiProperties.ToHex(color));
        Assert.False(RoiProperties.TryNormalizeColor("rgb(1, 2)", out _));
        Assert.Equal("#808080", RoiProperties.ToHex("not a colour"));
    }

    [Fact]
    public void The_picker_filters_searches_and_pages_with_the_selected_structures_first()
    {
        var entries = CataloguePicker.Entries(CatalogueJsonBackend());
        var facets = CataloguePicker.Facets(entries);
        Assert.Equal(["Head and Neck", "Pelvis", "Thorax"], facets.AnatomicGroups);
        Assert.Equal([3, 7, 12], facets.Models.Select(m => m.ModelId));
        Assert.Equal(["CT"], facets.Modalities);
        var nothing = new HashSet<StructureKey>();

        var thorax = CataloguePicker.Find(entries, new CatalogueFilter { AnatomicGroup = "thorax" }, nothing, 0, 10);
        Assert.Equal(["Lung_L", "Lung_R", "Heart", "Esophagus"], thorax.Page.Select(e => e.Name));
        var words = CataloguePicker.Find(entries, new CatalogueFilter { Search = "right GLAND" }, nothing, 0, 10);
        Assert.Equal(["Parotid_R"], words.Page.Select(e => e.Name));
        Assert.Equal(["ThoraxOAR"], CataloguePicker.Find(entries, new CatalogueFilter { ModelId = 7 }, nothing, 0, 10).Page.Select(e => e.ModelName).Distinct());

        var selected = new HashSet<StructureKey> { new(12, 3), new(7, 2) };
        var first = CataloguePicker.Find(entries, new CatalogueFilter(), selected, 0, 5);
        Assert.Equal(entries.Count, first.Total);
        Assert.Equal(["Lung_R", "Rectum", "Brainstem", "SpinalCord", "Parotid_L"], first.Page.Select(e => e.Name));
        var last = CataloguePicker.Find(entries, new CatalogueFilter(), selected, 10, 5);
        Assert.Equal(entries.Count - 10, last.Page.Count);
        Assert.Equal(2, CataloguePicker.Find(entries, new CatalogueFilter { SelectedOnly = true }, selected, 0, 5).Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_list_shows_models_counts_and_the_rule_groups_using_each_template(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var thorax = await Draw.Domain.Tests.Rules.RuleGroupTests.TemplateAsync(db);
        await Draw.Domain.Tests.Rules.RuleGroupTests.TemplateAsync(db, "Another");
        await db.SaveRuleGroupAsync(Draw.Domain.Tests.Rules.RuleGroupTests.ThoraxGroup(thorax), "admin", TimeProvider.System, CancellationToken.None);

        var list = await db.ListTemplatesAsync(CancellationToken.None);

        Assert.Equal(["Another", "Thorax"], list.Select(t => t.Name));
        var row = list[1];
        Assert.Equal(["3 HeadNeckOAR", "7 ThoraxOAR"], row.Models);
        Assert.Equal((3, 1, 0), (row.Structures, row.AdditionalStructures, row.MissingFromCatalogue));
        Assert.Equal(["Thorax CT"], row.RuleGroups);
        Assert.Empty(list[0].RuleGroups);
        Assert.Equal(["Thorax CT"], await db.RuleGroupsUsingAsync(thorax, CancellationToken.None));
        Assert.Equal([SampleCatalogue.Backend], await db.CachedBackendsAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_an_enabled_admin_as_the_database_knows_them_now_may_edit(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await TestUsers.CreateAsync(database, "boss", DrawRoles.Admin);
        await TestUsers.CreateAsync(database, "phys", DrawRoles.Physicist);
        await using var db = database.CreateContext();

        const string Edit = "edit templates and rules";
        Assert.Equal("boss", await db.RequireAsync("boss", RoleAccess.Admins, Edit, CancellationToken.None));
        var physicist = await Assert.ThrowsAsync<AccessDeniedException>(() => db.RequireAsync("phys", RoleAccess.Admins, Edit, CancellationToken.None));
        Assert.Equal("phys may not edit templates and rules: only an Admin may, and phys has Physicist", physicist.Message);
        var nobody = await Assert.ThrowsAsync<AccessDeniedException>(() => db.RequireAsync("nobody", RoleAccess.Admins, Edit, CancellationToken.None));
        Assert.Equal("nobody may not edit templates and rules: there is no such user", nobody.Message);
        var anonymous = await Assert.ThrowsAsync<AccessDeniedException>(() => db.RequireAsync((string?)null, RoleAccess.Admins, Edit, CancellationToken.None));
        Assert.Equal("no one is signed in: only a signed-in user may edit templates and rules", anonymous.Message);

        await db.Users.Where(u => u.UserName == "boss").ExecuteUpdateAsync(set => set.SetProperty(u => u.Disabled, true));
        var disabled = await Assert.ThrowsAsync<AccessDeniedException>(() => db.RequireAsync("boss", RoleAccess.Admins, Edit, CancellationToken.None));
        Assert.Equal("boss may not edit templates and rules: the user is disabled", disabled.Message);
    }

    private static CatalogueBackend CatalogueJsonBackend()
    {
        var parsed = CatalogueJson.Parse(SampleCatalogue.Json);
        var backend = new CatalogueBackend { Name = SampleCatalogue.Backend };
        foreach (var model in parsed.Models)
        {
            var row = new CatalogueModel { ModelId = model.ModelId, Name = model.Name };
            row.Structures.AddRange(model.Structures.Select(s => new CatalogueStructure
            {
                MapId = s.MapId, Name = s.Name, Description = s.Description, Category = s.Category, AnatomicGroup = s.AnatomicGroup, Modality = s.Modality,
            }));
            backend.Models.Add(row);
        }

        return backend;
    }
}
