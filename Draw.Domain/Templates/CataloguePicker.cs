namespace Draw.Domain.Templates;

/// <summary>One structure of a cached catalogue as the structure picker lists it.</summary>
public sealed record CatalogueEntry(
    int ModelId,
    string ModelName,
    int MapId,
    string Name,
    string? Category,
    string? AnatomicGroup,
    string? Description,
    string? Modality,
    double? MedianDice)
{
    public StructureKey Key => new(ModelId, MapId);
}

/// <summary>A structure's identity within a backend's catalogue.</summary>
public readonly record struct StructureKey(int ModelId, int MapId);

/// <summary>The picker's filters; all optional. <see cref="Search"/> matches every word against name, category, group, description and model.</summary>
public sealed record CatalogueFilter
{
    public string? Search { get; init; }

    public string? Category { get; init; }

    public string? AnatomicGroup { get; init; }

    public int? ModelId { get; init; }

    public string? Modality { get; init; }

    /// <summary>Only the selected structures.</summary>
    public bool SelectedOnly { get; init; }
}

/// <summary>The values the picker's filter drop-downs offer.</summary>
public sealed record CatalogueFacets(IReadOnlyList<string> Categories, IReadOnlyList<string> AnatomicGroups, IReadOnlyList<(int ModelId, string Name)> Models, IReadOnlyList<string> Modalities);

/// <summary>
/// The template editor's structure picker over a cached catalogue: search, filters, paging, with the
/// selected structures listed first (so a selection is never lost on a later page).
/// </summary>
public static class CataloguePicker
{
    public static IReadOnlyList<CatalogueEntry> Entries(CatalogueBackend catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        return
        [
            .. catalogue.Models.OrderBy(m => m.ModelId).SelectMany(m => m.Structures.OrderBy(s => s.MapId).Select(s =>
                new CatalogueEntry(m.ModelId, m.Name, s.MapId, s.Name, s.Category, s.AnatomicGroup, s.Description, s.Modality, s.MedianDice))),
        ];
    }

    public static CatalogueFacets Facets(IReadOnlyList<CatalogueEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        static IReadOnlyList<string> Distinct(IEnumerable<string?> values) =>
            [.. values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase)];
        return new CatalogueFacets(
            Distinct(entries.Select(e => e.Category)),
            Distinct(entries.Select(e => e.AnatomicGroup)),
            [.. entries.Select(e => (e.ModelId, e.ModelName)).Distinct().OrderBy(m => m.ModelId)],
            Distinct(entries.Select(e => e.Modality)));
    }

    /// <summary>One page of the entries that pass the filter, selected ones first, then by model id and map id; and how many pass.</summary>
    public static (IReadOnlyList<CatalogueEntry> Page, int Total) Find(
        IReadOnlyList<CatalogueEntry> entries, CatalogueFilter filter, IReadOnlySet<StructureKey> selected, int skip, int take)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(selected);
        var words = filter.Search?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var passing = entries
            .Where(e => !filter.SelectedOnly || selected.Contains(e.Key))
            .Where(e => Same(filter.Category, e.Category) && Same(filter.AnatomicGroup, e.AnatomicGroup) && Same(filter.Modality, e.Modality))
            .Where(e => filter.ModelId is null || e.ModelId == filter.ModelId)
            .Where(e => words.All(w => Mentions(e, w)))
            .OrderBy(e => selected.Contains(e.Key) ? 0 : 1)
            .ThenBy(e => e.ModelId)
            .ThenBy(e => e.MapId)
            .ToList();
        return ([.. passing.Skip(Math.Max(0, skip)).Take(Math.Max(0, take))], passing.Count);
    }

    private static bool Same(string? wanted, string? value) =>
        string.IsNullOrEmpty(wanted) || string.Equals(wanted, value, StringComparison.OrdinalIgnoreCase);

    private static bool Mentions(CatalogueEntry entry, string word) =>
        Has(entry.Name, word) || Has(entry.Category, word) || Has(entry.AnatomicGroup, word) || Has(entry.Description, word) || Has(entry.ModelName, word)
        || Has(entry.Modality, word);

    private static bool Has(string? text, string word) => text is not null && text.Contains(word, StringComparison.OrdinalIgnoreCase);
}
