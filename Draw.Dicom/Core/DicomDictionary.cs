namespace Draw.Dicom.Core;

/// <summary>One data dictionary entry of PS3.6.</summary>
public sealed record DicomDictionaryEntry(DicomTag Tag, string Keyword, string Name, IReadOnlyList<DicomVR> ValueRepresentations, string Multiplicity, bool IsRetired)
{
    /// <summary>The first allowed VR, or <see cref="DicomVR.UN"/> for entries without one.</summary>
    public DicomVR VR => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;
}

/// <summary>
/// The PS3.6 data dictionary. VR lookups (the reader's hot path) are a binary search over a static
/// uint table and never allocate; names and keywords are materialised only when first asked for.
/// </summary>
public static class DicomDictionary
{
    private static string[]? s_keywords;
    private static string[]? s_names;
    private static string[]? s_maskedKeywords;
    private static string[]? s_maskedNames;
    private static Dictionary<string, DicomTag>? s_byKeyword;

    /// <summary>The VR for implicit VR decoding: group lengths are UL, private creators LO, unknown tags UN.
    /// For entries with several VRs (e.g. "US or SS") the first one is returned; see <see cref="GetVRs"/>.</summary>
    public static DicomVR GetVR(DicomTag tag)
    {
        var set = FindVrSet(tag);
        if (set is not null)
        {
            return set.Length > 0 ? set[0] : DicomVR.UN;
        }

        if (tag.Element == 0 && tag.Group != 0xFFFE)
        {
            return DicomVR.UL;
        }

        return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN;
    }

    /// <summary>All VRs the dictionary allows for the tag; empty when the tag is unknown or has none (items).</summary>
    public static IReadOnlyList<DicomVR> GetVRs(DicomTag tag) => FindVrSet(tag) ?? [];

    public static bool IsKnown(DicomTag tag) => IndexOf(tag) >= 0 || MaskedIndexOf(tag) >= 0;

    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i >= 0)
        {
            s_keywords ??= DicomDictionaryData.Keywords.Split('\n');
            s_names ??= DicomDictionaryData.Names.Split('\n');
            return new DicomDictionaryEntry(tag, s_keywords[i], s_names[i], DicomDictionaryData.VrSets[DicomDictionaryData.VrSetIndex[i]],
                DicomDictionaryData.Multiplicities[DicomDictionaryData.VmIndex[i]], DicomDictionaryData.Retired[i] != 0);
        }

        i = MaskedIndexOf(tag);
        if (i >= 0)
        {
            s_maskedKeywords ??= DicomDictionaryData.MaskedKeywords.Split('\n');
            s_maskedNames ??= DicomDictionaryData.MaskedNames.Split('\n');
            return new DicomDictionaryEntry(tag, s_maskedKeywords[i], s_maskedNames[i], DicomDictionaryData.VrSets[DicomDictionaryData.MaskedVrSetIndex[i]],
                DicomDictionaryData.Multiplicities[DicomDictionaryData.MaskedVmIndex[i]], DicomDictionaryData.MaskedRetired[i] != 0);
        }

        return null;
    }

    /// <summary>The keyword, "PrivateCreator" / "GroupLength" for those generic elements, or "" when unknown.</summary>
    public static string GetKeyword(DicomTag tag)
    {
        var entry = Find(tag);
        if (entry is not null && entry.Keyword.Length > 0)
        {
            return entry.Keyword;
        }

        if (tag.IsPrivateCreator)
        {
            return "PrivateCreator";
        }

        return tag.Element == 0 ? "GroupLength" : "";
    }

    public static string GetName(DicomTag tag)
    {
        var entry = Find(tag);
        if (entry is not null && entry.Name.Length > 0)
        {
            return entry.Name;
        }

        if (tag.IsPrivateCreator)
        {
            return "Private Creator";
        }

        if (tag.Element == 0)
        {
            return "Group Length";
        }

        return tag.IsPrivate ? "Private Data Element" : "Unknown";
    }

    /// <summary>Finds a tag by keyword (e.g. "PatientName").</summary>
    public static bool TryGetTag(string keyword, out DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        var map = s_byKeyword;
        if (map is null)
        {
            map = new Dictionary<string, DicomTag>(StringComparer.Ordinal);
            var keywords = DicomDictionaryData.Keywords.Split('\n');
            var tags = DicomDictionaryData.Tags;
            for (var i = 0; i < keywords.Length; i++)
            {
                if (keywords[i].Length > 0)
                {
                    map.TryAdd(keywords[i], new DicomTag(tags[i]));
                }
            }

            var masked = DicomDictionaryData.MaskedKeywords.Split('\n');
            var maskedTags = DicomDictionaryData.MaskedTags;
            for (var i = 0; i < masked.Length; i++)
            {
                if (masked[i].Length > 0)
                {
                    map.TryAdd(masked[i], new DicomTag(maskedTags[i]));
                }
            }

            s_byKeyword = map;
        }

        return map.TryGetValue(keyword, out tag);
    }

    private static DicomVR[]? FindVrSet(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i >= 0)
        {
            return DicomDictionaryData.VrSets[DicomDictionaryData.VrSetIndex[i]];
        }

        i = MaskedIndexOf(tag);
        return i >= 0 ? DicomDictionaryData.VrSets[DicomDictionaryData.MaskedVrSetIndex[i]] : null;
    }

    private static int IndexOf(DicomTag tag)
    {
        // Private elements are never in the standard dictionary; skip the search for them.
        if (tag.IsPrivate)
        {
            return -1;
        }

        var i = DicomDictionaryData.Tags.BinarySearch(tag.Value);
        return i >= 0 ? i : -1;
    }

    private static int MaskedIndexOf(DicomTag tag)
    {
        if (tag.IsPrivate)
        {
            return -1;
        }

        var masks = DicomDictionaryData.MaskedMasks;
        var values = DicomDictionaryData.MaskedTags;
        for (var i = 0; i < masks.Length; i++)
        {
            if ((tag.Value & masks[i]) == values[i])
            {
                return i;
            }
        }

        return -1;
    }
}
