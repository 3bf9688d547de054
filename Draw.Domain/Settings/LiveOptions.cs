namespace Draw.Domain.Settings;

/// <summary>The live channel between workers and the dashboard (the SignalR hub in Draw.Web).</summary>
public sealed class LiveOptions
{
    public const string Section = "Draw:Live";

    /// <summary>Where workers find the hub.</summary>
    public string HubUrl { get; set; } = "http://127.0.0.1:5080/hubs/live";

    /// <summary>
    /// The key workers present to the hub. Empty means: read (or create once) secrets/live-hub.key
    /// under the data root, which suits a worker and a dashboard sharing one machine.
    /// </summary>
    public string? SharedKey { get; set; }
}
