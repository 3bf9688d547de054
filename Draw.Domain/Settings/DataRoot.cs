using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>The data root's fixed layout. Folders are created on first use.</summary>
public sealed class DataRoot
{
    public DataRoot(IOptions<StorageOptions> options)
        : this(options?.Value.DataRoot ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    public DataRoot(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string Incoming => Folder("incoming");

    public string Work => Folder("work");

    public string Quarantine => Folder("quarantine");

    public string Logs => Folder("logs");

    public string Secrets
    {
        get
        {
            var folder = Folder("secrets");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return folder;
        }
    }

    public string SqliteFile => System.IO.Path.Combine(Path, "draw.db");

    private string Folder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Reads a secret kept in a file under secrets/, creating it with random content (owner-only
    /// permissions) the first time. Safe when two processes race: the first writer wins.
    /// </summary>
    public string ReadOrCreateSecret(string name)
    {
        var file = System.IO.Path.Combine(Secrets, name);
        if (!File.Exists(file))
        {
            var value = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, value);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temporary, file, overwrite: false);
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(temporary);
            }
        }

        return File.ReadAllText(file).Trim();
    }
}
