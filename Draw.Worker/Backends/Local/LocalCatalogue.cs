using System.Text;
using System.Text.Json;

namespace Draw.Worker.Backends.Local;

/// <summary>A model of the local engine as the catalogue lists it.</summary>
public sealed record LocalModel(int Id, string Name, string Modality, string Description, IReadOnlyList<(int MapId, string Structure, string Category, string Group, string Description)> Structures);

/// <summary>The local engine's models in the DRAW server's GET /api/models/ JSON shape (research note A3.3).</summary>
public static class LocalCatalogue
{
    public const int CtBodyLungsModelId = 9001;
    public const int MrBodyModelId = 9002;

    public static IReadOnlyList<LocalModel> Models { get; } =
    [
        new(CtBodyLungsModelId, "local-ct-body-lungs", "CT", "Built-in classic image processing on CT: body outline and lungs.",
        [
            (1, LocalSegmentationEngine.External, "Other", "Body", "Body outline: tissue above -350 HU, largest component per slice, holes filled, couch excluded"),
            (2, LocalSegmentationEngine.LungLeft, "Organ", "Thorax", "Left lung: low density inside the body, airways removed, enclosed holes filled"),
            (3, LocalSegmentationEngine.LungRight, "Organ", "Thorax", "Right lung: low density inside the body, airways removed, enclosed holes filled"),
        ]),
        new(MrBodyModelId, "local-mr-body", "MR", "Built-in classic image processing on MR: body outline.",
        [
            (1, LocalSegmentationEngine.External, "Other", "Body", "Body outline: Otsu threshold, largest component per slice, holes filled"),
        ]),
    ];

    /// <summary>The model with this id, or null.</summary>
    public static LocalModel? Find(int modelId) => Models.FirstOrDefault(m => m.Id == modelId);

    /// <summary>The catalogue JSON: an array of models, each with its modelmap of structures.</summary>
    public static string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var model in Models)
            {
                w.WriteStartObject();
                w.WriteNumber("model_id", model.Id);
                w.WriteString("model_name", model.Name);
                w.WriteString("model_config", "local");
                w.WriteString("model_trainer_name", "classic");
                w.WriteNull("model_postprocess");
                w.WriteString("model_description", model.Description);
                w.WriteStartArray("modelmap");
                foreach (var s in model.Structures)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", (model.Id * 100) + s.MapId);
                    w.WriteNumber("mapid", s.MapId);
                    w.WriteString("map_tg263_primary_name", s.Structure);
                    w.WriteString("Major_Category", s.Category);
                    w.WriteString("Anatomic_Group", s.Group);
                    w.WriteString("Description", s.Description);
                    w.WriteString("delineation_modality", model.Modality);
                    w.WriteNull("median_dice_score");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
