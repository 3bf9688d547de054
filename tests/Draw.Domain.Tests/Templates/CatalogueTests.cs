using Draw.Domain.Templates;
using Draw.Domain.Work;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Draw.Domain.Tests.Templates;

public sealed class CatalogueTests
{
    [Fact]
    public void The_models_json_is_read_with_every_documented_field()
    {
        var catalogue = CatalogueJson.Parse(SampleCatalogue.Json);

        Assert.Equal([3, 7, 12], catalogue.Models.Select(m => m.ModelId));
        Assert.Equal(13, catalogue.StructureCount);
        var neck = catalogue.Models[0];
        Assert.Equal(("HeadNeckOAR", "3d_fullres", "nnUNetTrainerV2", (string?)null), (neck.Name, neck.Config, neck.TrainerName, neck.Postprocess));
        Assert.Equal("postprocessing.json", catalogue.Models[1].Postprocess);
        Assert.Null(catalogue.Models[2].Postprocess); // the text "null" means none
        var brainstem = neck.Structures[0];
        Assert.Equal((1, 301L, "Brainstem", "Organ", "Head and Neck", "CT", 0.88), (brainstem.MapId, brainstem.ServerId!.Value, brainstem.Name, brainstem.Category, brainstem.AnatomicGroup, brainstem.Modality, brainstem.MedianDice!.Value));
        Assert.Equal("{\"TG263_Reverse_Order_Name\":\"Brainstem\"}", brainstem.Details);
        Assert.Equal(0.86, neck.Structures[1].MedianDice); // given as text
        Assert.Null(neck.Structures[1].Details);
        var femur = catalogue.Models[2].Structures[3];
        Assert.Equal((4, "Femur_Head_L"), (femur.MapId, femur.Name)); // no mapid: the id is the label
    }

    [Theory]
    [InlineData("{\"detail\": \"x\"}", "the catalogue must be a JSON array of models")]
    [InlineData("[{\"model_name\": \"a\"}]", "model #0 has no model_id")]
    [InlineData("[{\"model_id\": 1}]", "model 1 has no model_name")]
    [InlineData("[{\"model_id\": \"one\", \"model_name\": \"a\"}]", "model_id is not a whole number (\"one\")")]
    [InlineData("[{\"model_id\": 1, \"model_name\": \"a\", \"modelmap\": [{\"mapid\": 1, \"map_tg263_primary_name\": \"A\"}, {\"mapid\": 1, \"map_tg263_primary_name\": \"B\"}]}]", "model 1: mapid 1 appears twice")]
    [InlineData("[{\"model_id\": 1, \"model_name\": \"a\", \"modelmap\": [{\"mapid\": 2}]}]", "model 1 modelmap #0 has no map_tg263_primary_name")]
    [InlineData("not json", "the catalogue is not valid JSON")]
    public void A_bad_catalogue_is_refused_naming_the_model_or_field(string json, string expected)
    {
        var error = Assert.Throws<CatalogueFormatException>(() => CatalogueJson.Parse(json));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refresh_replaces_the_cached_rows_and_records_the_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using (var db = database.CreateContext())
        {
            var first = await db.RefreshAsync(SampleCatalogue.Source(), time, CancellationToken.None);
            Assert.Equal((3, 13, 0), (first.Models, first.Structures, first.TemplateStructuresMissing));
            time.Advance(TimeSpan.FromHours(1));
            await db.RefreshAsync(SampleCatalogue.Source(), time, CancellationToken.None);
            await db.RefreshAsync(SampleCatalogue.Source("local"), time, CancellationToken.None);
        }

        await using (var db = database.CreateContext())
        {
            var cached = await db.CachedCatalogueAsync("draw", CancellationToken.None);
            Assert.NotNull(cached);
            Assert.Equal(new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc), cached.RefreshedAt);
            Assert.Equal((3, 13), (cached.ModelCount, cached.StructureCount));
            Assert.Equal([3, 7, 12], cached.Models.Select(m => m.ModelId));
            Assert.Equal([1, 2, 3, 4, 5], cached.Models[0].Structures.Select(s => s.MapId));
            Assert.Equal(6, await db.CatalogueModels.CountAsync());
            Assert.Equal(26, await db.CatalogueStructures.CountAsync());
            Assert.Equal(3, await db.Events.CountAsync(e => e.Kind == EventKinds.CatalogueRefreshed));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failing_source_leaves_the_cache_as_it_was(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        await db.RefreshAsync(SampleCatalogue.Source(), TimeProvider.System, CancellationToken.None);

        await Assert.ThrowsAsync<CatalogueFormatException>(() => db.RefreshAsync(JsonCatalogueSource.FromText("draw", "{}"), TimeProvider.System, CancellationToken.None));

        Assert.Equal(13, await db.CatalogueStructures.CountAsync());
    }
}
