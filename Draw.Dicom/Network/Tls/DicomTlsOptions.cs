using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Draw.Dicom.Network.Tls;

/// <summary>TLS for the SCP (PS3.15 B.1, secure transport connection profiles): our certificate and whether peers must show one.</summary>
public sealed class DicomServerTlsOptions
{
    public required X509Certificate2 Certificate { get; init; }

    public bool RequireClientCertificate { get; init; }

    /// <summary>Custom peer certificate check; null uses the system's chain validation.</summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }

    /// <summary>BCP 195 asks for TLS 1.2 or later.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}

/// <summary>TLS for the SCU: the name to check the server certificate against, and an optional client certificate.</summary>
public sealed class DicomClientTlsOptions
{
    /// <summary>The server name checked against its certificate; defaults to the host connected to.</summary>
    public string? TargetHost { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Custom server certificate check (e.g. a pinned self-signed certificate); null uses the system's.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}

/// <summary>Loads the certificate named in configuration.</summary>
public static class DicomTlsCertificates
{
    /// <summary>A PKCS#12 file (.pfx/.p12) with its private key, or a PEM certificate with a PEM key file beside it.</summary>
    public static X509Certificate2 Load(string path, string? password = null, string? keyPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (keyPath is not null || path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase))
        {
            using var pem = password is null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            // Re-import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }

    /// <summary>A validation callback that accepts exactly one certificate (by thumbprint), e.g. a self-signed peer.</summary>
    public static RemoteCertificateValidationCallback Pinned(X509Certificate2 expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var thumbprint = expected.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        return (_, certificate, _, _) =>
            certificate is not null && string.Equals(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
