namespace Draw.Domain.Index;

/// <summary>The series list's sort orders, each with the id as tie-breaker so that paging is stable.</summary>
internal static class SeriesSort
{
    public static IQueryable<Series> Apply(IQueryable<Series> series, string sortBy, bool descending) => (sortBy, descending) switch
    {
        (nameof(SeriesRow.PatientId), false) => series.OrderBy(s => s.Study!.Patient!.PatientId).ThenBy(s => s.Id),
        (nameof(SeriesRow.PatientId), true) => series.OrderByDescending(s => s.Study!.Patient!.PatientId).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.PatientName), false) => series.OrderBy(s => s.Study!.Patient!.Name).ThenBy(s => s.Id),
        (nameof(SeriesRow.PatientName), true) => series.OrderByDescending(s => s.Study!.Patient!.Name).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.StudyDate), false) => series.OrderBy(s => s.Study!.StudyDate).ThenBy(s => s.Id),
        (nameof(SeriesRow.StudyDate), true) => series.OrderByDescending(s => s.Study!.StudyDate).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.Modality), false) => series.OrderBy(s => s.Modality).ThenBy(s => s.Id),
        (nameof(SeriesRow.Modality), true) => series.OrderByDescending(s => s.Modality).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.Instances), false) => series.OrderBy(s => s.InstanceCount).ThenBy(s => s.Id),
        (nameof(SeriesRow.Instances), true) => series.OrderByDescending(s => s.InstanceCount).ThenByDescending(s => s.Id),
        (nameof(SeriesRow.Status), false) => series.OrderBy(s => s.Status).ThenBy(s => s.Id),
        (nameof(SeriesRow.Status), true) => series.OrderByDescending(s => s.Status).ThenByDescending(s => s.Id),
        (_, false) => series.OrderBy(s => s.StatusChangedAt).ThenBy(s => s.Id),
        _ => series.OrderByDescending(s => s.StatusChangedAt).ThenByDescending(s => s.Id),
    };
}
