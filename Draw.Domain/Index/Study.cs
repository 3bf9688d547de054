namespace Draw.Domain.Index;

public sealed class Study
{
    public long Id { get; set; }

    public long PatientId { get; set; }

    public Patient? Patient { get; set; }

    public required string StudyInstanceUid { get; set; }

    public string? StudyDate { get; set; }

    public string? StudyTime { get; set; }

    public string? StudyId { get; set; }

    public string? AccessionNumber { get; set; }

    public string? Description { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<Series> Series { get; } = [];
}
