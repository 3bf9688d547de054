using Draw.Domain.Persistence;
using Draw.Domain.Templates;
using Draw.Domain.Work;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Templates;

public sealed class TemplateAdministrationTests
{
    internal static TemplateDraft Draft(string name = "Thorax") => new()
    {
        Name = name,
        Description = "lungs and heart",
        Backend = SampleCatalogue.Backend,
        Structures =
        [
            new StructureChoice(7, 1, "Lung L", "#00ff00"),
            new StructureChoice(7, 3, Color: "255\\0\\0", InterpretedType: "OAR"),
            new StructureChoice(3, 2),
        ],
        AdditionalStructures = [new AdditionalStructureDraft("Couch", "0,0,255", "SUPPORT")],
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_template_is_saved_grouped_by_model_with_its_yaml_hash(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        long id;
        await using (var db = database.CreateContext())
        {
            await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
            id = (await db.SaveTemplateAsync(Draft(), "physicist", TimeProvider.System, CancellationToken.None)).Id;
        }

        await using (var db = database.CreateContext())
        {
            var template = await db.LoadTemplateAsync(id, CancellationToken.None);
            Assert.NotNull(template);
            Assert.Equal([3, 7], template.Models.OrderBy(m => m.ModelId).Select(m => m.ModelId));
            var thorax = template.Models.Single(m => m.ModelId == 7);
            Assert.Equal(("ThoraxOAR", "nnUNetTrainerV2_noMirroring", "postprocessing.json"), (thorax.Name, thorax.TrainerName, thorax.Postprocess));
            var lung = thorax.Structures.Single(s => s.MapId == 1);
            Assert.Equal(("Lung_L", "Lung L", "0\\255\\0", "ORGAN"), (lung.Name, lung.RoiLabel, lung.Color, lung.InterpretedType));
            var cord = template.Models.Single(m => m.ModelId == 3).Structures.Single();
            Assert.Equal(("SpinalCord", "SpinalCord", RoiProperties.DefaultColor), (cord.Name, cord.RoiLabel, cord.Color));
            var couch = Assert.Single(template.AdditionalStructures);
            Assert.Equal(("Couch", "0\\0\\255", "SUPPORT"), (couch.RoiLabel, couch.Color, couch.InterpretedType));
            Assert.Equal(TemplateYaml.Sha512(template), template.YamlSha512);
            Assert.Equal("physicist", template.UpdatedBy);
            var saved = await db.Events.SingleAsync(e => e.Kind == EventKinds.TemplateSaved);
            Assert.Contains("\"by\":\"physicist\"", saved.Payload, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Invalid_templates_are_refused_with_every_reason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        await db.SaveTemplateAsync(Draft(), "physicist", TimeProvider.System, CancellationToken.None);

        var duplicate = await Refused(db, Draft());
        Assert.Equal(["name: a template named 'Thorax' already exists"], duplicate);

        var empty = await Refused(db, Draft("Empty") with { Structures = [] });
        Assert.Equal(["structures: select at least one structure"], empty);

        var labels = await Refused(db, Draft("Labels") with
        {
            Structures = [new StructureChoice(7, 1, "Heart"), new StructureChoice(7, 3), new StructureChoice(7, 2, "A label far too long")],
            AdditionalStructures = [new AdditionalStructureDraft("HEART")],
        });
        Assert.Equal(
        [
            "structure 7/3: ROI label 'Heart' is already used by structure 7/1 (labels are compared ignoring case)",
            "structure 7/2: ROI label 'A label far too long' is longer than 16 characters",
            "additional structure 'HEART': ROI label 'HEART' is already used by structure 7/1 (labels are compared ignoring case)",
        ], labels);

        var properties = await Refused(db, Draft("Properties") with
        {
            Structures = [new StructureChoice(7, 1, Color: "300\\0\\0"), new StructureChoice(7, 2, InterpretedType: "LUNG"), new StructureChoice(9, 1)],
        });
        Assert.Equal(3, properties.Count);
        Assert.Equal("structure 7/1: colour '300\\0\\0' is not R\\G\\B (each 0-255) or #rrggbb", properties[0]);
        Assert.StartsWith("structure 7/2: RT ROI Interpreted Type 'LUNG' is not a defined term (EXTERNAL, PTV,", properties[1], StringComparison.Ordinal);
        Assert.Equal("structure 9/1: the catalogue of 'draw' has no model 9 with map id 1", properties[2]);

        var backend = await Refused(db, Draft("Other") with { Backend = "nowhere" });
        Assert.Equal(["backend: no cached catalogue for 'nowhere'; refresh it first"], backend);
        Assert.Equal(1, await db.Templates.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_template_survives_a_refresh_that_drops_one_of_its_structures_which_is_flagged(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);
        var template = await db.SaveTemplateAsync(Draft(), "physicist", TimeProvider.System, CancellationToken.None);
        var sha = template.YamlSha512;
        var withoutHeart = SampleCatalogue.Json.Replace("\"mapid\": 3, \"map_tg263_primary_name\": \"Heart\"", "\"mapid\": 30, \"map_tg263_primary_name\": \"Heart\"", StringComparison.Ordinal);

        var refresh = await db.RefreshAsync(JsonCatalogueSource.FromText("draw", withoutHeart), TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, refresh.TemplateStructuresMissing);
        db.ChangeTracker.Clear();
        var reloaded = await db.LoadTemplateAsync(template.Id, CancellationToken.None);
        var heart = reloaded!.Models.SelectMany(m => m.Structures).Single(s => s.MissingFromCatalogue);
        Assert.Equal(("Heart", 3), (heart.Name, heart.MapId));
        Assert.Equal(sha, TemplateYaml.Sha512(reloaded));

        // Saving it again as it is keeps the structure (the template holds its own copy of the names).
        var resaved = await db.SaveTemplateAsync(Draft(), "physicist", TimeProvider.System, CancellationToken.None, template.Id);
        Assert.Equal(sha, resaved.YamlSha512);
        Assert.True(resaved.Models.SelectMany(m => m.Structures).Single(s => s.MapId == 3 && s.Name == "Heart").MissingFromCatalogue);
    }

    private static async Task<IReadOnlyList<string>> Refused(DrawDbContext db, TemplateDraft draft) =>
        (await Assert.ThrowsAsync<TemplateValidationException>(() => db.SaveTemplateAsync(draft, "physicist", TimeProvider.System, CancellationToken.None))).Errors;
}
