namespace Draw.Domain.Index;

/// <summary>A patient as the original images identify them. Never overwritten by de-identification.</summary>
public sealed class Patient
{
    public long Id { get; set; }

    /// <summary>The original PatientID (0010,0020).</summary>
    public required string PatientId { get; set; }

    public string? Name { get; set; }

    /// <summary>DA as stored (YYYYMMDD), kept verbatim.</summary>
    public string? BirthDate { get; set; }

    public string? Sex { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<Study> Studies { get; } = [];
}
