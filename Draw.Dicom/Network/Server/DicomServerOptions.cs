using System.Net;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Tls;

namespace Draw.Dicom.Network.Server;

/// <summary>Everything a DICOM SCP is configured with. Defaults are safe for a loopback test listener.</summary>
public sealed class DicomServerOptions
{
    /// <summary>Our AE title; with <see cref="CheckCalledAeTitle"/> an association calling another title is refused.</summary>
    public string AeTitle { get; set; } = "DRAW";

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="DicomServer.Port"/>).</summary>
    public int Port { get; set; } = 11112;

    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Associations served at once; one more is refused with "local limit exceeded" (transient).</summary>
    public int MaxAssociations { get; set; } = 16;

    /// <summary>The largest P-DATA-TF PDU we accept, announced to the peer (PS3.8 D.1).</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>ARTIM: how long a new connection may take to send its A-ASSOCIATE-RQ, and how long we wait for
    /// the peer to close after a release, rejection or abort (PS3.8 9.1.5).</summary>
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an established association may stay silent (between or inside messages) before we abort it.</summary>
    public TimeSpan DimseTimeout { get; set; } = TimeSpan.FromSeconds(120);

    public bool CheckCalledAeTitle { get; set; } = true;

    /// <summary>Calling AE titles allowed to associate; empty allows any.</summary>
    public ISet<string> AllowedCallingAeTitles { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Peer addresses or networks allowed to associate; empty allows any.</summary>
    public IList<IPNetwork> AllowedPeers { get; } = [];

    /// <summary>Transfer syntax preference for accepted contexts; null accepts the proposer's first usable syntax.</summary>
    public IReadOnlyList<string>? TransferSyntaxPreference { get; set; }

    /// <summary>Private or newer storage SOP classes to accept besides the registered ones.</summary>
    public ISet<string> AdditionalStorageSopClasses { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Flush each received file to disk before answering success, so a success status means durable.</summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Decides whether a proposed user identity is acceptable; null accepts any (or none).</summary>
    public Func<DicomUserIdentity?, bool>? UserIdentityValidator { get; set; }

    /// <summary>TLS for every association (PS3.15 B.1); null for plain TCP.</summary>
    public DicomServerTlsOptions? Tls { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public string ImplementationVersionName { get; set; } = Core.DicomUidGenerator.ImplementationVersionName;

    /// <summary>Checks the values; throws naming the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(AeTitle) || AeTitle.Length > 16)
        {
            throw new ArgumentException($"AeTitle '{AeTitle}' must be 1-16 characters");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port {Port} is out of range");
        }

        if (MaxAssociations < 1)
        {
            throw new ArgumentException("MaxAssociations must be at least 1");
        }

        if (MaxPduLength is > 0 and < 1024)
        {
            throw new ArgumentException($"MaxPduLength {MaxPduLength} is below 1024");
        }

        if (ArtimTimeout <= TimeSpan.Zero || DimseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ArtimTimeout and DimseTimeout must be positive");
        }
    }
}
