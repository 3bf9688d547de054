using Draw.Domain.Templates;

namespace Draw.Testing.Catalogue;

/// <summary>
/// A models catalogue in the DRAW server's GET /api/models/ shape, written for the tests from the
/// documented field list (three models, thirteen structures, extra and internal fields, a model
/// whose postprocess is the text "null", and a structure without mapid).
/// </summary>
public static class SampleCatalogue
{
    public const string Backend = "draw";

    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "tests", "Draw.Testing", "Catalogue", "draw-models.json");

    public static string Json => File.ReadAllText(Path);

    public static ICatalogueSource Source(string backend = Backend) => JsonCatalogueSource.FromText(backend, Json);
}
