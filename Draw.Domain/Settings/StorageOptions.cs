namespace Draw.Domain.Settings;

/// <summary>Where DRAW keeps its files: the data root and its fixed layout.</summary>
public sealed class StorageOptions
{
    public const string Section = "Draw:Storage";

    /// <summary>The data root: SQLite file, logs, incoming, work, quarantine, secrets.</summary>
    public string DataRoot { get; set; } = "data";
}
