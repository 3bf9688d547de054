using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Draw.Domain.Persistence;
using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw templates ...`: the backend catalogue cache and the templates built from it.</summary>
internal sealed class TemplatesCommand : ICommand
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() }, WriteIndented = true };

    public string Name => "templates";

    public string Summary => "backend catalogue cache and autosegmentation templates (list, show, yaml, import, delete)";

    public string Usage => "catalogue-refresh BACKEND MODELS.json | catalogue BACKEND | list | show NAME | yaml NAME [OUT.yml] | import TEMPLATE.json [--replace] | delete NAME";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        try
        {
            switch (args)
            {
                case ["catalogue-refresh", var backend, var file]:
                    var refreshed = await db.RefreshAsync(JsonCatalogueSource.FromFile(backend, Path.GetFullPath(file)), time, cancellationToken);
                    Console.WriteLine($"catalogue of {refreshed.Backend}: {refreshed.Models} models, {refreshed.Structures} structures; {refreshed.TemplateStructuresMissing} template structures no longer listed");
                    return 0;
                case ["catalogue", var backend]:
                    var catalogue = await db.CachedCatalogueAsync(backend, cancellationToken);
                    if (catalogue is null)
                    {
                        return Fail($"no cached catalogue for '{backend}'");
                    }

                    Console.WriteLine($"{catalogue.Name}: refreshed {catalogue.RefreshedAt.ToString("u", CultureInfo.InvariantCulture)}, {catalogue.ModelCount} models, {catalogue.StructureCount} structures");
                    foreach (var model in catalogue.Models)
                    {
                        Console.WriteLine($"  model {model.ModelId} {model.Name} ({model.Config}, {model.TrainerName}, postprocess {model.Postprocess ?? "none"})");
                        foreach (var s in model.Structures)
                        {
                            Console.WriteLine($"    {s.MapId,4} {s.Name,-24} {s.Category,-12} {s.AnatomicGroup,-12} {s.Modality,-4} dice {s.MedianDice?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"}");
                        }
                    }

                    return 0;
                case ["list"]:
                    foreach (var t in await db.Templates.AsNoTracking().Include(t => t.Models).ThenInclude(m => m.Structures).OrderBy(t => t.Name).ToListAsync(cancellationToken))
                    {
                        var missing = t.Models.SelectMany(m => m.Structures).Count(s => s.MissingFromCatalogue);
                        Console.WriteLine($"{t.Name,-24} {t.Backend,-8} {t.Models.Count} model(s), {t.Models.Sum(m => m.Structures.Count)} structure(s){(missing > 0 ? $", {missing} missing from the catalogue" : "")}");
                    }

                    return 0;
                case ["show", var name]:
                    var template = await FindAsync(db, name, cancellationToken);
                    if (template is null)
                    {
                        return Fail($"no template named '{name}'");
                    }

                    Console.WriteLine($"{template.Name} ({template.Backend}) {template.Description}");
                    Console.WriteLine($"sha512 {template.YamlSha512}");
                    foreach (var model in template.Models.OrderBy(m => m.ModelId))
                    {
                        Console.WriteLine($"  model {model.ModelId} {model.Name}");
                        foreach (var s in model.Structures.OrderBy(s => s.MapId))
                        {
                            Console.WriteLine($"    {s.MapId,4} {s.Name,-24} -> {s.RoiLabel,-16} {s.Color,-12} {s.InterpretedType}{(s.MissingFromCatalogue ? "  (missing from the catalogue)" : "")}");
                        }
                    }

                    foreach (var a in template.AdditionalStructures)
                    {
                        Console.WriteLine($"  additional {a.RoiLabel,-16} {a.Color,-12} {a.InterpretedType}");
                    }

                    return 0;
                case ["yaml", var name, .. var output]:
                    var forYaml = await FindAsync(db, name, cancellationToken);
                    if (forYaml is null)
                    {
                        return Fail($"no template named '{name}'");
                    }

                    if (output.Length == 1)
                    {
                        await File.WriteAllBytesAsync(output[0], TemplateYaml.WriteBytes(forYaml), cancellationToken);
                    }
                    else
                    {
                        Console.Write(TemplateYaml.Write(forYaml));
                    }

                    return 0;
                case ["import", var file, .. var options]:
                    var draft = JsonSerializer.Deserialize<TemplateDraft>(await File.ReadAllTextAsync(file, cancellationToken), Json)
                        ?? throw new UsageException("the file holds no template.");
                    var existing = await db.Templates.AsNoTracking().Where(t => t.Name == draft.Name).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
                    if (existing is not null && !options.Contains("--replace"))
                    {
                        return Fail($"a template named '{draft.Name}' exists; add --replace to update it");
                    }

                    var saved = await db.SaveTemplateAsync(draft, "cli", time, cancellationToken, existing);
                    Console.WriteLine($"template {saved.Name} saved (sha512 {saved.YamlSha512[..16]}...)");
                    return 0;
                case ["delete", var name]:
                    var toDelete = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
                    if (toDelete is null)
                    {
                        return Fail($"no template named '{name}'");
                    }

                    await db.DeleteTemplateAsync(toDelete.Id, "cli", time, cancellationToken);
                    Console.WriteLine($"template {name} deleted");
                    return 0;
                default:
                    throw new UsageException("unknown templates command.");
            }
        }
        catch (Exception ex) when (ex is TemplateValidationException or CatalogueFormatException or JsonException or IOException)
        {
            return Fail(ex is TemplateValidationException invalid ? string.Join(Environment.NewLine + "  ", ["the template is not valid:", .. invalid.Errors]) : ex.Message);
        }
    }

    private static async Task<Template?> FindAsync(DrawDbContext db, string name, CancellationToken cancellationToken)
    {
        var id = await db.Templates.AsNoTracking().Where(t => t.Name == name).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
        return id is null ? null : await db.LoadTemplateAsync(id.Value, cancellationToken);
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"draw: {message}");
        return 1;
    }
}
