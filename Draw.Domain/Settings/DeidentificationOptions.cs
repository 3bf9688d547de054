using System.Globalization;
using System.Text.RegularExpressions;
using Draw.Dicom.Anonymization;
using Draw.Dicom.Core;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>
/// De-identification and re-identification (Draw:Deidentification): the profile per backend (with a default),
/// the patient pseudonym pattern, the date shift range and what a re-identified result looks like.
/// </summary>
public sealed partial class DeidentificationOptions
{
    public const string Section = "Draw:Deidentification";

    /// <summary>Short site code used in pseudonymous patient IDs (letters and digits, at most 16).</summary>
    public string SiteCode { get; set; } = "DRAW";

    /// <summary>Pseudonymous Patient ID: {site} and {counter} or {counter:000000}; must contain {counter}.</summary>
    public string PatientIdPattern { get; set; } = "{site}-{counter:000000}";

    /// <summary>Pseudonymous Patient Name: {id}, {site}, {counter}.</summary>
    public string PatientNamePattern { get; set; } = "{id}";

    /// <summary>Range of the per-patient date shift in days (inclusive); the shift is drawn once and kept.</summary>
    public int DateShiftMinDays { get; set; } = -3650;

    public int DateShiftMaxDays { get; set; } = -365;

    /// <summary>Root of pseudonymous UIDs.</summary>
    public string UidRoot { get; set; } = "2.25";

    /// <summary>The profile used for backends without their own.</summary>
    public DeidentificationProfileSettings Default { get; set; } = new();

    /// <summary>Profiles by backend name.</summary>
    public Dictionary<string, DeidentificationProfileSettings> Backends { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Series Description of re-identified structure sets (LO, at most 64 characters).</summary>
    public string ReidentifiedSeriesDescription { get; set; } = "DRAW autosegmentation";

    /// <summary>Structure Set Label of re-identified structure sets (SH, at most 16 characters).</summary>
    public string StructureSetLabel { get; set; } = "DRAW";

    /// <summary>Restore the study description into re-identified results.</summary>
    public bool RestoreDescriptions { get; set; } = true;

    /// <summary>Binds and validates the section outside a host (the CLI); throws with the failures naming their keys.</summary>
    public static DeidentificationOptions Load(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DeidentificationOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(Section), options);
        var result = new DeidentificationOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Section, typeof(DeidentificationOptions), result.Failures);
        }

        return options;
    }

    public DeidentificationProfileSettings ForBackend(string? backend) =>
        backend is not null && Backends.TryGetValue(backend, out var p) ? p : Default;

    public string FormatPatientId(long counter) => Format(PatientIdPattern, counter, null);

    public string FormatPatientName(string id, long counter) => Format(PatientNamePattern, counter, id);

    private string Format(string pattern, long counter, string? id) =>
        Placeholder().Replace(pattern, m => m.Groups[1].Value switch
        {
            "site" => SiteCode,
            "id" => id ?? "",
            "counter" => counter.ToString(m.Groups[2].Success ? m.Groups[2].Value : "0", CultureInfo.InvariantCulture),
            _ => m.Value,
        });

    [GeneratedRegex(@"\{(site|id|counter)(?::([0#]+))?\}")]
    internal static partial Regex Placeholder();
}

/// <summary>One de-identification profile: the PS3.15 options it applies.</summary>
public sealed class DeidentificationProfileSettings
{
    public bool RetainPatientCharacteristics { get; set; } = true;

    public bool RetainLongitudinalModifiedDates { get; set; } = true;

    public bool RetainDeviceIdentity { get; set; }

    public bool RetainInstitutionIdentity { get; set; }

    public bool CleanDescriptors { get; set; }

    public bool RetainSafePrivate { get; set; }

    /// <summary>Private elements kept under Retain Safe Private, as "gggg,Creator,ee" (group and element byte in hex).</summary>
    public List<string> SafePrivateTags { get; set; } = [];

    public ConfidentialityOptions ToOptions() =>
        (RetainPatientCharacteristics ? ConfidentialityOptions.RetainPatientCharacteristics : 0)
        | (RetainLongitudinalModifiedDates ? ConfidentialityOptions.RetainLongitudinalModifiedDates : 0)
        | (RetainDeviceIdentity ? ConfidentialityOptions.RetainDeviceIdentity : 0)
        | (RetainInstitutionIdentity ? ConfidentialityOptions.RetainInstitutionIdentity : 0)
        | (CleanDescriptors ? ConfidentialityOptions.CleanDescriptors : 0)
        | (RetainSafePrivate ? ConfidentialityOptions.RetainSafePrivate : 0);

    public DeidentificationProfile ToProfile() => new()
    {
        Options = ToOptions(),
        SafePrivateTags = [.. SafePrivateTags.Select(s => TryParseSafeTag(s, out var t) ? t : throw new FormatException($"not a safe private tag: '{s}'"))],
    };

    public static bool TryParseSafeTag(string? text, out SafePrivateTag tag)
    {
        tag = default;
        var parts = text?.Split(',') ?? [];
        if (parts.Length != 3
            || !ushort.TryParse(parts[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var group) || (group & 1) == 0 || group <= 7
            || parts[1].Trim().Length is 0 or > 64
            || !byte.TryParse(parts[2].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var element))
        {
            return false;
        }

        tag = new SafePrivateTag(group, parts[1].Trim(), element);
        return true;
    }
}

public sealed class DeidentificationOptionsValidator : IValidateOptions<DeidentificationOptions>
{
    public ValidateOptionsResult Validate(string? name, DeidentificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = DeidentificationOptions.Section;
        if (string.IsNullOrEmpty(options.SiteCode) || options.SiteCode.Length > 16 || !options.SiteCode.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add(SettingError.Of(S, nameof(options.SiteCode), "must be 1 to 16 ASCII letters or digits."));
        }

        if (!options.PatientIdPattern.Contains("{counter", StringComparison.Ordinal))
        {
            failures.Add(SettingError.Of(S, nameof(options.PatientIdPattern), "must contain {counter} (for example \"{site}-{counter:000000}\") so every patient gets a distinct ID."));
        }
        else if (options.FormatPatientId(long.MaxValue / 1000).Length > 64 || options.PatientIdPattern.Contains('\\', StringComparison.Ordinal))
        {
            failures.Add(SettingError.Of(S, nameof(options.PatientIdPattern), "must produce IDs of at most 64 characters without backslash (LO)."));
        }

        if (options.FormatPatientName(options.FormatPatientId(1), 1).Length is 0 or > 64 || options.PatientNamePattern.Contains('\\', StringComparison.Ordinal))
        {
            failures.Add(SettingError.Of(S, nameof(options.PatientNamePattern), "must produce a non-empty name of at most 64 characters without backslash (PN)."));
        }

        if (options.DateShiftMinDays > options.DateShiftMaxDays)
        {
            failures.Add(SettingError.Of(S, nameof(options.DateShiftMinDays), $"must not be above {nameof(options.DateShiftMaxDays)} (got {options.DateShiftMinDays} > {options.DateShiftMaxDays})."));
        }

        if (Math.Abs((long)options.DateShiftMinDays) > 36500 || Math.Abs((long)options.DateShiftMaxDays) > 36500)
        {
            failures.Add(SettingError.Of(S, nameof(options.DateShiftMinDays), "and DateShiftMaxDays must stay within ±36500 days."));
        }

        if (!DicomUidGenerator.IsValid(options.UidRoot) || options.UidRoot.Length > 24)
        {
            failures.Add(SettingError.Of(S, nameof(options.UidRoot), "must be a valid UID root of at most 24 characters (for example 2.25)."));
        }

        if (options.ReidentifiedSeriesDescription.Length is 0 or > 64)
        {
            failures.Add(SettingError.Of(S, nameof(options.ReidentifiedSeriesDescription), "must be 1 to 64 characters."));
        }

        if (options.StructureSetLabel.Length is 0 or > 16)
        {
            failures.Add(SettingError.Of(S, nameof(options.StructureSetLabel), "must be 1 to 16 characters."));
        }

        foreach (var (key, profile) in options.Backends.Select(kv => ($"Backends:{kv.Key}", kv.Value)).Prepend(("Default", options.Default)))
        {
            foreach (var tag in profile.SafePrivateTags)
            {
                if (!DeidentificationProfileSettings.TryParseSafeTag(tag, out _))
                {
                    failures.Add(SettingError.Of(S, $"{key}:SafePrivateTags", $"entry '{tag}' must be \"gggg,Creator,ee\" with an odd group above 0007 and a hex element byte."));
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
