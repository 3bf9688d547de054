namespace Draw.Domain.Privacy;

/// <summary>One entry of the persistent, level-agnostic UID map: unique in both directions.</summary>
public sealed class UidMapping
{
    public long Id { get; set; }

    public required string Original { get; set; }

    public required string Pseudonym { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A patient's stable pseudonym. The original is kept only as a keyed hash of its identity (see
/// <see cref="PersistentPatientPseudonymizer"/>); the real name and ID come from the index when needed.
/// </summary>
public sealed class PatientPseudonymRecord
{
    public long Id { get; set; }

    /// <summary>HMAC-SHA256 of the patient key under the site's secret, hex.</summary>
    public required string OriginalKeyHash { get; set; }

    public required string PseudonymId { get; set; }

    public required string PseudonymName { get; set; }

    public int DateShiftDays { get; set; }

    public DateTime CreatedAt { get; set; }
}
