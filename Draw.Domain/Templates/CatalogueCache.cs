using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Templates;

/// <summary>Where a backend's catalogue comes from (the DRAW server's GET /api/models/, the local engine, a file).</summary>
public interface ICatalogueSource
{
    /// <summary>The backend's name, as templates refer to it.</summary>
    string Backend { get; }

    Task<BackendCatalogue> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>A catalogue held as JSON text in the /api/models/ shape (a file, a test fixture, a saved answer).</summary>
public sealed class JsonCatalogueSource(string backend, Func<CancellationToken, Task<string>> json) : ICatalogueSource
{
    public string Backend { get; } = backend;

    public static JsonCatalogueSource FromFile(string backend, string path) =>
        new(backend, cancellationToken => File.ReadAllTextAsync(path, cancellationToken));

    public static JsonCatalogueSource FromText(string backend, string text) => new(backend, _ => Task.FromResult(text));

    public async Task<BackendCatalogue> FetchAsync(CancellationToken cancellationToken) =>
        CatalogueJson.Parse(await json(cancellationToken));
}

/// <summary>What a refresh did.</summary>
public sealed record CatalogueRefreshResult(string Backend, DateTime RefreshedAt, int Models, int Structures, int TemplateStructuresMissing);

/// <summary>
/// The cached catalogue of each backend. A refresh replaces the backend's rows in one transaction
/// (readers see the old catalogue or the new one, never a mix) and flags template structures that
/// the new catalogue no longer lists (and clears the flag of those it lists again).
/// </summary>
public static class CatalogueCache
{
    public static async Task<CatalogueRefreshResult> RefreshAsync(this DrawDbContext db, ICatalogueSource source, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(source.Backend))
        {
            throw new ArgumentException("a catalogue source needs a backend name", nameof(source));
        }

        // Fetch first: a failing source leaves the cache as it was.
        var catalogue = await source.FetchAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var backend = await db.CatalogueBackends.FirstOrDefaultAsync(b => b.Name == source.Backend, cancellationToken);
            if (backend is null)
            {
                backend = new CatalogueBackend { Name = source.Backend };
                db.CatalogueBackends.Add(backend);
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                await db.CatalogueModels.Where(m => m.BackendId == backend.Id).ExecuteDeleteAsync(cancellationToken);
            }

            foreach (var model in catalogue.Models)
            {
                var row = new CatalogueModel
                {
                    BackendId = backend.Id,
                    ModelId = model.ModelId,
                    Name = model.Name,
                    Config = model.Config,
                    TrainerName = model.TrainerName,
                    Postprocess = model.Postprocess,
                };
                row.Structures.AddRange(model.Structures.Select(s => new CatalogueStructure
                {
                    MapId = s.MapId,
                    ServerId = s.ServerId,
                    Name = s.Name,
                    Category = s.Category,
                    AnatomicGroup = s.AnatomicGroup,
                    Description = s.Description,
                    Modality = s.Modality,
                    MedianDice = s.MedianDice,
                    Details = s.Details,
                }));
                db.CatalogueModels.Add(row);
            }

            backend.RefreshedAt = now;
            backend.ModelCount = catalogue.Models.Count;
            backend.StructureCount = catalogue.StructureCount;

            var listed = catalogue.Models.SelectMany(m => m.Structures.Select(s => (m.ModelId, s.MapId))).ToHashSet();
            var missing = 0;
            var structures = await db.TemplateStructures
                .Where(s => s.Model!.Template!.Backend == source.Backend)
                .Include(s => s.Model)
                .ToListAsync(cancellationToken);
            foreach (var structure in structures)
            {
                structure.MissingFromCatalogue = !listed.Contains((structure.Model!.ModelId, structure.MapId));
                missing += structure.MissingFromCatalogue ? 1 : 0;
            }

            db.Append(time, EventKinds.CatalogueRefreshed, new { backend = source.Backend, models = catalogue.Models.Count, structures = catalogue.StructureCount, missing });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new CatalogueRefreshResult(source.Backend, now, catalogue.Models.Count, catalogue.StructureCount, missing);
        });
    }

    /// <summary>The cached catalogue of a backend with its models and structures, or null if never refreshed.</summary>
    public static Task<CatalogueBackend?> CachedCatalogueAsync(this DrawDbContext db, string backend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.CatalogueBackends.AsNoTracking()
            .Include(b => b.Models.OrderBy(m => m.ModelId)).ThenInclude(m => m.Structures.OrderBy(s => s.MapId))
            .AsSplitQuery()
            .FirstOrDefaultAsync(b => b.Name == backend, cancellationToken);
    }
}
