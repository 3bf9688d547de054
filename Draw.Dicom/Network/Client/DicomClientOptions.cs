using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Tls;

namespace Draw.Dicom.Network.Client;

/// <summary>Where and how an SCU connects. Retry policy is the caller's.</summary>
public sealed class DicomClientOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string CalledAeTitle { get; init; }

    public string CallingAeTitle { get; init; } = "DRAW";

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>ARTIM on our side: how long to wait for A-ASSOCIATE-AC/RJ and for A-RELEASE-RP.</summary>
    public TimeSpan AssociationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for each response (or each pending response of a C-FIND/C-MOVE).</summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The largest P-DATA-TF PDU we accept, announced to the peer.</summary>
    public uint MaxPduLength { get; init; } = 256 * 1024;

    /// <summary>Largest C-FIND match or response data set we keep in memory.</summary>
    public int MaxResponseDataSetLength { get; init; } = 16 * 1024 * 1024;

    public DicomClientTlsOptions? Tls { get; init; }

    /// <summary>User identity negotiation (PS3.7 D.3.3.7), when the peer asks for one.</summary>
    public DicomUserIdentity? UserIdentity { get; init; }

    public string ImplementationVersionName { get; init; } = Core.DicomUidGenerator.ImplementationVersionName;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Parses HOST:PORT (IPv6 in brackets).</summary>
    public static (string Host, int Port) ParseEndPoint(string hostAndPort)
    {
        ArgumentNullException.ThrowIfNull(hostAndPort);
        var colon = hostAndPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostAndPort.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{hostAndPort}' is not HOST:PORT");
        }

        return (hostAndPort[..colon].Trim('[', ']'), port);
    }
}
