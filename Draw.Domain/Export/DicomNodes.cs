using System.Security.Authentication;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Pdu;
using Draw.Dicom.Network.Tls;

namespace Draw.Domain.Export;

/// <summary>Turns a destination node into DICOM client options, and tells network failures from bugs.</summary>
public static class DicomNodes
{
    public static DicomClientOptions ClientOptions(DestinationNode node, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(node);
        var timeout = TimeSpan.FromSeconds(node.TimeoutSeconds);
        return new DicomClientOptions
        {
            Host = node.Host,
            Port = node.Port,
            CalledAeTitle = node.AeTitle,
            CallingAeTitle = node.CallingAeTitle,
            ConnectTimeout = timeout,
            AssociationTimeout = timeout,
            DimseTimeout = timeout,
            Tls = node.UseTls ? new DicomClientTlsOptions() : null,
            TimeProvider = time,
        };
    }

    /// <summary>Failures of the peer or the network (refused, rejected, aborted, timed out, TLS), as opposed to bugs.</summary>
    public static bool IsNetworkFailure(Exception ex) => ex is IOException or System.Net.Sockets.SocketException or TimeoutException
        or DicomAssociationRejectedException or DicomAssociationAbortedException or DicomProtocolException or AuthenticationException;
}
