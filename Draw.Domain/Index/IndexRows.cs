using Draw.Domain.Ingest;

namespace Draw.Domain.Index;

/// <summary>
/// The raw-SQL writers of the index tables, one per table, column for column as the migrations
/// create them. Kept beside the entities so a new column is added in both places.
/// </summary>
public static class IndexRows
{
    public static RowWriter<Patient> Patients { get; } = new("Patients",
    [
        new("PatientId", p => p.PatientId),
        new("Name", p => p.Name),
        new("BirthDate", p => p.BirthDate),
        new("Sex", p => p.Sex),
        new("CreatedAt", p => Utc(p.CreatedAt)),
    ]);

    public static RowWriter<Study> Studies { get; } = new("Studies",
    [
        new("PatientId", s => s.PatientId),
        new("StudyInstanceUid", s => s.StudyInstanceUid),
        new("StudyDate", s => s.StudyDate),
        new("StudyTime", s => s.StudyTime),
        new("StudyId", s => s.StudyId),
        new("AccessionNumber", s => s.AccessionNumber),
        new("Description", s => s.Description),
        new("CreatedAt", s => Utc(s.CreatedAt)),
    ]);

    public static RowWriter<Series> Series { get; } = new("Series",
    [
        new("StudyId", s => s.StudyId),
        new("SeriesInstanceUid", s => s.SeriesInstanceUid),
        new("Modality", s => s.Modality),
        new("Description", s => s.Description),
        new("ProtocolName", s => s.ProtocolName),
        new("BodyPart", s => s.BodyPart),
        new("SeriesDate", s => s.SeriesDate),
        new("SeriesNumber", s => s.SeriesNumber),
        new("FrameOfReferenceUid", s => s.FrameOfReferenceUid),
        new("InstanceCount", s => s.InstanceCount),
        new("FirstArrival", s => Utc(s.FirstArrival)),
        new("LastArrival", s => Utc(s.LastArrival)),
        new("Source", s => s.Source.ToString()),
        new("SourceId", s => s.SourceId),
        new("RootPath", s => s.RootPath),
        new("QuietPeriodSeconds", s => s.QuietPeriodSeconds),
        new("Status", s => s.Status.ToString()),
        new("StatusChangedAt", s => Utc(s.StatusChangedAt)),
        new("StableAt", s => s.StableAt is { } stable ? Utc(stable) : null),
        new("LateInstanceCount", s => s.LateInstanceCount),
        new("ConflictCount", s => s.ConflictCount),
    ]);

    /// <summary>Instances; the series id is read at write time, after a new series got its id.</summary>
    public static RowWriter<(Instance Row, Series Series)> Instances { get; } = new("Instances",
    [
        new("SeriesId", i => i.Series.Id),
        new("SopInstanceUid", i => i.Row.SopInstanceUid),
        new("SopClassUid", i => i.Row.SopClassUid),
        new("InstanceNumber", i => i.Row.InstanceNumber),
        new("Path", i => i.Row.Path),
        new("Folder", i => i.Row.Folder),
        new("FileSize", i => i.Row.FileSize),
        new("ArrivedAt", i => Utc(i.Row.ArrivedAt)),
        new("Late", i => i.Row.Late),
    ]);

    public static RowWriter<FileOperation> FileOperations { get; } = new("FileOperations",
    [
        new("Time", o => Utc(o.Time)),
        new("Kind", o => o.Kind.ToString()),
        new("Source", o => o.Source),
        new("Target", o => o.Target),
        new("Result", o => o.Result),
        new("SeriesId", o => o.SeriesId),
    ]);

    /// <summary>As the context's converter stores every DateTime: in UTC.</summary>
    public static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime();
}
