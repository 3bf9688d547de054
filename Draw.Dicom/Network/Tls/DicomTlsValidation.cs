using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Draw.Dicom.Network.Tls;

/// <summary>Peer certificate checks for sites with their own certificate authority (or a self-signed peer).</summary>
public static class DicomTlsValidation
{
    /// <summary>
    /// Accepts a peer certificate that chains to one of <paramref name="roots"/> (and only those, not the system's
    /// store). With <paramref name="checkName"/> the certificate must also name the host we connected to (the
    /// client's check of a server); a server checking a client's certificate has no name to compare.
    /// </summary>
    public static RemoteCertificateValidationCallback TrustedBy(X509Certificate2Collection roots, bool checkName)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            throw new ArgumentException("At least one trusted certificate is needed.", nameof(roots));
        }

        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (checkName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        };
    }

    /// <summary>Accepts any certificate: encryption without authentication, for tests and troubleshooting only.</summary>
#pragma warning disable CA5359 // Deliberate: only an explicit, announced opt-in (draw --tls-no-verify) uses it.
    public static RemoteCertificateValidationCallback AcceptAny { get; } = (_, _, _, _) => true;
#pragma warning restore CA5359

    /// <summary>Reads every certificate of a PEM file (a CA bundle or a single self-signed certificate).</summary>
    public static X509Certificate2Collection LoadPemBundle(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0 ? certificates : throw new ArgumentException($"{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }
}
