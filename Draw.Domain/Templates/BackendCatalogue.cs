using System.Globalization;
using System.Text.Json;

namespace Draw.Domain.Templates;

/// <summary>
/// What a segmentation backend can contour: its models and, per model, the structures (labels) it
/// produces. The shape is the DRAW server's GET /api/models/ answer; the local engine reports its
/// own list in the same shape.
/// </summary>
public sealed record BackendCatalogue(IReadOnlyList<BackendModel> Models)
{
    public int StructureCount => Models.Sum(m => m.Structures.Count);
}

/// <summary>One model of the catalogue (model_id, model_name, model_config, model_trainer_name, model_postprocess).</summary>
public sealed record BackendModel(int ModelId, string Name, string? Config, string? TrainerName, string? Postprocess, IReadOnlyList<BackendStructure> Structures);

/// <summary>
/// One structure of a model: its label index in the model (mapid), the TG-263 primary name, and the
/// descriptive fields the template editor shows. <see cref="Details"/> keeps any other fields the
/// server sent (as a JSON object) for the editor's details card.
/// </summary>
public sealed record BackendStructure(
    int MapId,
    long? ServerId,
    string Name,
    string? Category,
    string? AnatomicGroup,
    string? Description,
    string? Modality,
    double? MedianDice,
    string? Details);

/// <summary>The catalogue JSON could not be read; the message names the model or field.</summary>
public sealed class CatalogueFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads the GET /api/models/ JSON (an array of models, or an object with a "results" array).</summary>
public static class CatalogueJson
{
    private static readonly HashSet<string> StructureFields = new(StringComparer.Ordinal)
    {
        "id", "mapid", "map_tg263_primary_name", "Major_Category", "Anatomic_Group", "Description", "delineation_modality", "median_dice_score",
    };

    /// <summary>Server bookkeeping that is never shown or kept.</summary>
    private static bool IsInternal(string field) =>
        field is "model_file_paths" or "model_uploaded_to_gpu_server" or "date_model_uploaded_to_gpu_server"
            or "model_uploaded_to_gpu_server_provider" or "model_uploaded_to_gpu_server_template_name" or "created_user" or "modified_user" or "is_active"
        || field.Contains("activate", StringComparison.OrdinalIgnoreCase)
        || field.Contains("created", StringComparison.OrdinalIgnoreCase)
        || field.Contains("modified", StringComparison.OrdinalIgnoreCase);

    public static BackendCatalogue Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CatalogueFormatException($"the catalogue is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results))
            {
                root = results;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new CatalogueFormatException("the catalogue must be a JSON array of models");
            }

            var models = new List<BackendModel>();
            var seen = new HashSet<int>();
            var index = 0;
            foreach (var model in root.EnumerateArray())
            {
                var parsed = ParseModel(model, index++);
                if (!seen.Add(parsed.ModelId))
                {
                    throw new CatalogueFormatException($"model_id {parsed.ModelId} appears twice");
                }

                models.Add(parsed);
            }

            return new BackendCatalogue(models);
        }
    }

    private static BackendModel ParseModel(JsonElement model, int index)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw new CatalogueFormatException($"model #{index} is not a JSON object");
        }

        var id = Integer(model, "model_id") ?? throw new CatalogueFormatException($"model #{index} has no model_id");
        var where = $"model {id}";
        var name = Text(model, "model_name") ?? throw new CatalogueFormatException($"{where} has no model_name");
        var structures = new List<BackendStructure>();
        if (model.TryGetProperty("modelmap", out var map) && map.ValueKind == JsonValueKind.Array)
        {
            var seen = new HashSet<int>();
            var n = 0;
            foreach (var structure in map.EnumerateArray())
            {
                var parsed = ParseStructure(structure, $"{where} modelmap #{n++}");
                if (!seen.Add(parsed.MapId))
                {
                    throw new CatalogueFormatException($"{where}: mapid {parsed.MapId} appears twice");
                }

                structures.Add(parsed);
            }
        }

        var postprocess = Text(model, "model_postprocess");
        return new BackendModel(
            id,
            name,
            Text(model, "model_config"),
            Text(model, "model_trainer_name"),
            postprocess is null || postprocess.Equals("null", StringComparison.OrdinalIgnoreCase) || postprocess.Length == 0 ? null : postprocess,
            structures);
    }

    private static BackendStructure ParseStructure(JsonElement structure, string where)
    {
        if (structure.ValueKind != JsonValueKind.Object)
        {
            throw new CatalogueFormatException($"{where} is not a JSON object");
        }

        var serverId = Integer(structure, "id");
        var mapId = Integer(structure, "mapid") ?? (int?)serverId ?? throw new CatalogueFormatException($"{where} has neither mapid nor id");
        var name = Text(structure, "map_tg263_primary_name") ?? throw new CatalogueFormatException($"{where} has no map_tg263_primary_name");
        return new BackendStructure(
            mapId,
            serverId,
            name,
            Text(structure, "Major_Category"),
            Text(structure, "Anatomic_Group"),
            Text(structure, "Description"),
            Text(structure, "delineation_modality"),
            Number(structure, "median_dice_score"),
            Extras(structure));
    }

    private static string? Extras(JsonElement structure)
    {
        var extras = structure.EnumerateObject().Where(p => !StructureFields.Contains(p.Name) && !IsInternal(p.Name)).ToList();
        if (extras.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in extras)
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()?.Trim(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    private static int? Integer(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        return value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? null
            : throw new CatalogueFormatException($"{name} is not a whole number ({value.GetRawText()})");
    }

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }
}
