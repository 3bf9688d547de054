namespace Draw.Domain.Settings;

/// <summary>The DICOM C-STORE listener the worker owns.</summary>
public sealed class ListenerOptions
{
    public const string Section = "Draw:Listener";

    public bool Enabled { get; set; } = true;

    public string AeTitle { get; set; } = "DRAW";

    public int Port { get; set; } = 11112;

    /// <summary>Loopback by default; a site opens it deliberately (for example 0.0.0.0).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public int MaxAssociations { get; set; } = 16;

    /// <summary>Calling AE titles allowed to send; empty allows any.</summary>
    public List<string> AllowedCallingAeTitles { get; set; } = [];

    /// <summary>Peer addresses or networks (CIDR) allowed to connect; empty allows any.</summary>
    public List<string> AllowedPeers { get; set; } = [];
}
