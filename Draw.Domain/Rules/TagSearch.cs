using Draw.Dicom.Core;

namespace Draw.Domain.Rules;

/// <summary>A dictionary entry the rule editor offers.</summary>
public sealed record TagChoice(string Tag, string Keyword, string Name, string VR, IReadOnlyList<RuleOperator> Operators);

/// <summary>The rule editor's tag picker: finds dictionary entries by keyword, name or (gggg,eeee).</summary>
public static class TagSearch
{
    private static readonly Lazy<DicomDictionaryEntry[]> Entries = new(Load);

    public static IReadOnlyList<TagChoice> Find(string query, int max = 20)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query.Trim();
        if (query.Length == 0)
        {
            return [];
        }

        if (TagPath.TryParse(query, out var path, out _) && DicomDictionary.Find(path.Leaf) is { } exact && path.Steps.Count == 1)
        {
            return [Choice(exact)];
        }

        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return [.. Entries.Value
            .Where(e => words.All(w => e.Keyword.Contains(w, StringComparison.OrdinalIgnoreCase) || e.Name.Contains(w, StringComparison.OrdinalIgnoreCase)
                || e.Tag.ToString().Contains(w, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.Keyword.Equals(query, StringComparison.OrdinalIgnoreCase) ? 0 : e.Keyword.StartsWith(query, StringComparison.OrdinalIgnoreCase) ? 1 : 2)
            .ThenBy(e => e.IsRetired)
            .ThenBy(e => e.Keyword.Length)
            .ThenBy(e => e.Tag)
            .Take(max)
            .Select(Choice)];
    }

    public static TagChoice Choice(DicomDictionaryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new TagChoice(entry.Tag.ToString(), entry.Keyword, entry.Name, entry.VR.Code(), RuleValueRules.OperatorsFor(entry.VR));
    }

    private static DicomDictionaryEntry[] Load() =>
        // DicomTags names every dictionary entry by keyword; read them once.
        [.. typeof(DicomTags).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DicomTag))
            .Select(p => DicomDictionary.Find((DicomTag)p.GetValue(null)!))
            .OfType<DicomDictionaryEntry>()
            .Where(e => e.Keyword.Length > 0)
            .DistinctBy(e => e.Tag)
            .OrderBy(e => e.Tag)];
}
