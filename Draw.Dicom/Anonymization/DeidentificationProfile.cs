namespace Draw.Dicom.Anonymization;

/// <summary>A private data element known to be safe (PS3.15 E.3.10), named by its creator and its element byte in the block.</summary>
public readonly record struct SafePrivateTag(ushort Group, string Creator, byte Element);

/// <summary>What the engine applies: the profile options and what it writes to say so.</summary>
public sealed record DeidentificationProfile
{
    public static DeidentificationProfile Default { get; } = new()
    {
        Options = ConfidentialityOptions.RetainPatientCharacteristics | ConfidentialityOptions.RetainLongitudinalModifiedDates,
    };

    public ConfidentialityOptions Options { get; init; }

    /// <summary>Private elements kept under Retain Safe Private (empty: every private element is removed).</summary>
    public IReadOnlyCollection<SafePrivateTag> SafePrivateTags { get; init; } = [];

    /// <summary>Written to De-identification Method (0012,0063), with the options appended.</summary>
    public string MethodDescription { get; init; } = "DRAW PS3.15 E.1-1 Basic Profile";
}
