using System.Text.Json;

namespace Draw.Domain.Index;

/// <summary>A rule group that matched a series, with the names of its rulesets that matched.</summary>
public sealed record MatchedGroup(string Name, IReadOnlyList<string> RuleSets);

/// <summary>Reads the SeriesMatch.Matches array ([{group, name, ruleSets: [{name}]}]) for display.</summary>
public static class MatchedGroups
{
    public static IReadOnlyList<MatchedGroup> Read(string? matches)
    {
        if (string.IsNullOrEmpty(matches) || matches == "[]")
        {
            return [];
        }

        using var document = JsonDocument.Parse(matches);
        return [.. document.RootElement.EnumerateArray().Select(g => new MatchedGroup(
            NameOf(g),
            g.TryGetProperty("ruleSets", out var sets) ? [.. sets.EnumerateArray().Select(NameOf).Where(n => n.Length > 0)] : []))];
    }

    private static string NameOf(JsonElement element) =>
        element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : "";
}
