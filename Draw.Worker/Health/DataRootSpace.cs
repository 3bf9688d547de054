using Draw.Domain.Settings;

namespace Draw.Worker.Health;

/// <summary>Free and total bytes of the volume holding the data root, as this worker sees it.</summary>
internal sealed class DataRootSpace(DataRoot dataRoot)
{
    public string Path => dataRoot.Path;

    /// <summary>Null when the volume cannot be asked (a share that went away): the board says unknown.</summary>
    public (long Free, long Total)? Measure()
    {
        try
        {
            Directory.CreateDirectory(dataRoot.Path);
            var drive = new DriveInfo(dataRoot.Path);
            return (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
