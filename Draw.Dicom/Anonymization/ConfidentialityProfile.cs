using System.Collections.Concurrent;
using Draw.Dicom.Core;

namespace Draw.Dicom.Anonymization;

/// <summary>The action codes of PS3.15 Table E.1-1 (Annex E.1.1), compounds included.</summary>
public enum DeidAction : byte
{
    /// <summary>No row in the table: standard attributes are kept (sequences are still cleaned).</summary>
    None = 0,

    /// <summary>K: keep (sequences are still cleaned item by item).</summary>
    Keep,

    /// <summary>X: remove.</summary>
    Remove,

    /// <summary>Z: zero-length value.</summary>
    Zero,

    /// <summary>D: non-zero-length dummy value consistent with the VR.</summary>
    Dummy,

    /// <summary>C: clean (dates shifted, text scrubbed of identifiers, sequences cleaned).</summary>
    Clean,

    /// <summary>U: replace with a UID from the caller's consistent map.</summary>
    Uid,

    /// <summary>Z/D: Z unless D is needed for a Type 1 attribute.</summary>
    ZeroOrDummy,

    /// <summary>X/Z: X unless Z is needed for a Type 2 attribute.</summary>
    RemoveOrZero,

    /// <summary>X/D: X unless D is needed for a Type 1 attribute.</summary>
    RemoveOrDummy,

    /// <summary>X/Z/D.</summary>
    RemoveOrZeroOrDummy,

    /// <summary>X/Z/U*: a sequence kept with its contained instance UIDs replaced.</summary>
    RemoveOrZeroOrUids,
}

/// <summary>The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3) that DRAW applies.</summary>
[Flags]
public enum ConfidentialityOptions
{
    None = 0,
    RetainPatientCharacteristics = 1,
    RetainLongitudinalModifiedDates = 2,
    RetainDeviceIdentity = 4,
    RetainInstitutionIdentity = 8,
    CleanDescriptors = 16,
    RetainSafePrivate = 32,
    RetainLongitudinalFullDates = 64,
}

/// <summary>One row of Table E.1-1: the basic action and, per option column, the action the option asks for.</summary>
internal readonly record struct ProfileRule(
    uint Tag,
    uint Mask,
    DeidAction Basic,
    DeidAction retainUids = DeidAction.None,
    DeidAction retainDeviceIdentity = DeidAction.None,
    DeidAction retainInstitutionIdentity = DeidAction.None,
    DeidAction retainPatientCharacteristics = DeidAction.None,
    DeidAction retainFullDates = DeidAction.None,
    DeidAction retainModifiedDates = DeidAction.None,
    DeidAction cleanDescriptors = DeidAction.None,
    DeidAction cleanStructuredContent = DeidAction.None,
    DeidAction cleanGraphics = DeidAction.None,
    DeidAction retainSafePrivate = DeidAction.None)
{
    /// <summary>The action under a set of options. When two enabled options disagree, C wins over K
    /// (the more protective choice: a date both "kept" for device identity and "cleaned" for modified dates is shifted).</summary>
    public DeidAction Resolve(ConfidentialityOptions options)
    {
        var chosen = DeidAction.None;
        Consider(ref chosen, options, ConfidentialityOptions.RetainDeviceIdentity, retainDeviceIdentity);
        Consider(ref chosen, options, ConfidentialityOptions.RetainInstitutionIdentity, retainInstitutionIdentity);
        Consider(ref chosen, options, ConfidentialityOptions.RetainPatientCharacteristics, retainPatientCharacteristics);
        Consider(ref chosen, options, ConfidentialityOptions.RetainLongitudinalFullDates, retainFullDates);
        Consider(ref chosen, options, ConfidentialityOptions.RetainLongitudinalModifiedDates, retainModifiedDates);
        Consider(ref chosen, options, ConfidentialityOptions.CleanDescriptors, cleanDescriptors);
        return chosen == DeidAction.None ? Basic : chosen;
    }

    private static void Consider(ref DeidAction chosen, ConfidentialityOptions options, ConfidentialityOptions option, DeidAction action)
    {
        if (action == DeidAction.None || (options & option) == 0)
        {
            return;
        }

        if (chosen == DeidAction.None || action == DeidAction.Clean)
        {
            chosen = action;
        }
    }
}

/// <summary>
/// Table E.1-1 resolved for one set of options: the action for any tag is one binary search.
/// Instances are cached per options value and shared (immutable).
/// </summary>
public sealed class ConfidentialityProfile
{
    private static readonly ConcurrentDictionary<ConfidentialityOptions, ConfidentialityProfile> Cache = new();

    // Exact rows as two parallel arrays sorted by tag, searched by halving: built in microseconds (a frozen
    // dictionary over value types cost ~20 ms of JIT and analysis at start-up) and a lookup is ten comparisons.
    private readonly uint[] _tags;
    private readonly DeidAction[] _actions;
    private readonly (uint Tag, uint Mask, DeidAction Action)[] _masked;

    private ConfidentialityProfile(ConfidentialityOptions options)
    {
        Options = options;
        var rules = ConfidentialityProfileTable.Rules;
        var tags = new uint[rules.Length];
        var actions = new DeidAction[rules.Length];
        var exact = 0;
        var masked = new List<(uint, uint, DeidAction)>();
        foreach (var rule in rules)
        {
            var action = rule.Resolve(options);
            if (rule.Mask != 0xFFFFFFFF)
            {
                masked.Add((rule.Tag, rule.Mask, action));
                continue;
            }

            // The generator writes the rows sorted by tag, once each: the search below relies on it.
            if (exact > 0 && tags[exact - 1] >= rule.Tag)
            {
                throw new InvalidOperationException($"Table E.1-1 rows are not in ascending tag order at {rule.Tag:X8}; rerun the generator");
            }

            tags[exact] = rule.Tag;
            actions[exact] = action;
            exact++;
        }

        _tags = tags[..exact];
        _actions = actions[..exact];
        _masked = [.. masked];
    }

    public ConfidentialityOptions Options { get; }

    /// <summary>Number of rows of Table E.1-1 DRAW knows (private attributes excluded: they are handled as a class).</summary>
    public static int RuleCount => ConfidentialityProfileTable.Count;

    public static ConfidentialityProfile For(ConfidentialityOptions options) => Cache.GetOrAdd(options, static o => new ConfidentialityProfile(o));

    /// <summary>The action for a standard tag; <see cref="DeidAction.None"/> when the table has no row for it.
    /// Private tags are not covered here (the engine removes them or keeps the safe ones).</summary>
    public DeidAction GetAction(DicomTag tag)
    {
        var value = tag.Value;
        int low = 0, high = _tags.Length - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var at = _tags[mid];
            if (at == value)
            {
                return _actions[mid];
            }

            if (at < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        var group = tag.Group;
        if (group is >= 0x5000 and <= 0x60FF)
        {
            foreach (var (t, mask, a) in _masked)
            {
                if ((tag.Value & mask) == t)
                {
                    return a;
                }
            }
        }

        return DeidAction.None;
    }

    /// <summary>The basic-profile action code as written in the standard (for reports).</summary>
    public static string Code(DeidAction action) => action switch
    {
        DeidAction.Keep => "K",
        DeidAction.Remove => "X",
        DeidAction.Zero => "Z",
        DeidAction.Dummy => "D",
        DeidAction.Clean => "C",
        DeidAction.Uid => "U",
        DeidAction.ZeroOrDummy => "Z/D",
        DeidAction.RemoveOrZero => "X/Z",
        DeidAction.RemoveOrDummy => "X/D",
        DeidAction.RemoveOrZeroOrDummy => "X/Z/D",
        DeidAction.RemoveOrZeroOrUids => "X/Z/U*",
        _ => "-",
    };
}
