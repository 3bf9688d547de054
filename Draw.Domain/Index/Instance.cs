namespace Draw.Domain.Index;

public sealed class Instance
{
    public long Id { get; set; }

    public long SeriesId { get; set; }

    public Series? Series { get; set; }

    public required string SopInstanceUid { get; set; }

    public string? SopClassUid { get; set; }

    public int? InstanceNumber { get; set; }

    /// <summary>Absolute path of the file, where it lies (datastore) or where DRAW stored it (listener).</summary>
    public required string Path { get; set; }

    /// <summary>The file's folder, indexed so a scan asks per folder which files are known.</summary>
    public required string Folder { get; set; }

    public long FileSize { get; set; }

    public DateTime ArrivedAt { get; set; }

    /// <summary>Arrived after the series had moved on to processing.</summary>
    public bool Late { get; set; }
}
