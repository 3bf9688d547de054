namespace Draw.Domain.Index;

/// <summary>One row of the "Series for processing" list.</summary>
public sealed record SeriesRow(
    long Id,
    string PatientId,
    string? PatientName,
    string? StudyDate,
    string? Modality,
    string? Description,
    string? ProtocolName,
    int Instances,
    SeriesStatus Status,
    DateTime StatusChangedAt,
    DateTime LastArrival,
    SeriesSource Source,
    int LateInstances,
    int Conflicts)
{
    /// <summary>The template the series has (matched by rules or chosen by a person), if any.</summary>
    public long? TemplateId { get; init; }

    public string? TemplateName { get; init; }

    /// <summary>The names of the rule groups that matched, comma-separated; empty when none did.</summary>
    public string MatchedRules { get; init; } = "";

    /// <summary>Where its latest trip through a backend stands: the backend's own status, else the job's step.</summary>
    public string? BackendStatus { get; init; }

    /// <summary>True once a job was made for it: sending it again is a resend.</summary>
    public bool Sent { get; init; }
}

/// <summary>The filters and paging of the series list; all optional.</summary>
public sealed record SeriesFilter
{
    public IReadOnlyCollection<SeriesStatus>? Statuses { get; init; }

    public string? Modality { get; init; }

    /// <summary>Study dates as YYYYMMDD, inclusive.</summary>
    public string? StudyDateFrom { get; init; }

    public string? StudyDateTo { get; init; }

    /// <summary>Only series whose template (matched or chosen) is this one.</summary>
    public long? TemplateId { get; init; }

    /// <summary>Matches patient ID, patient name, accession number or series description.</summary>
    public string? Search { get; init; }

    public string SortBy { get; init; } = nameof(SeriesRow.StatusChangedAt);

    public bool Descending { get; init; } = true;

    public int Skip { get; init; }

    public int Take { get; init; } = 25;
}
