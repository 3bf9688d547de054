using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Draw.Dicom.Network.Tls;

namespace Draw.Cli.Commands;

/// <summary>
/// The TLS options the DICOM network commands share (PS3.15 B.1): --tls, --tls-cert FILE --tls-key FILE (PEM),
/// --tls-ca FILE, --tls-no-verify. As a client: the server must present a certificate trusted by the system, or
/// by --tls-ca when given, naming the host; --tls-cert/--tls-key add a client certificate. As a server:
/// --tls-cert/--tls-key are required; --tls-ca makes client certificates required and checked against it.
/// </summary>
internal sealed class TlsArgs
{
    public const string Usage = "[--tls [--tls-cert FILE --tls-key FILE] [--tls-ca FILE] [--tls-no-verify]]";

    public bool Enabled { get; private set; }

    public string? CertificateFile { get; private set; }

    public string? KeyFile { get; private set; }

    public string? CaFile { get; private set; }

    public bool NoVerify { get; private set; }

    /// <summary>True when args[i] was a TLS option (consuming its value).</summary>
    public bool TryOption(string[] args, ref int i)
    {
        switch (args[i])
        {
            case "--tls": Enabled = true; return true;
            case "--tls-cert": CertificateFile = NetworkArgs.Value(args, ref i); return true;
            case "--tls-key": KeyFile = NetworkArgs.Value(args, ref i); return true;
            case "--tls-ca": CaFile = NetworkArgs.Value(args, ref i); return true;
            case "--tls-no-verify": NoVerify = true; return true;
            default: return false;
        }
    }

    /// <summary>The client's TLS settings, or null for plain TCP.</summary>
    public DicomClientTlsOptions? ForClient()
    {
        if (!Check())
        {
            return null;
        }

        return new DicomClientTlsOptions
        {
            ClientCertificate = CertificateFile is null ? null : LoadCertificate(),
            ServerCertificateValidation = NoVerify ? DicomTlsValidation.AcceptAny
                : CaFile is null ? null : DicomTlsValidation.TrustedBy(LoadCa(), checkName: true),
        };
    }

    /// <summary>The server's TLS settings, or null for plain TCP.</summary>
    public DicomServerTlsOptions? ForServer()
    {
        if (!Check())
        {
            return null;
        }

        if (CertificateFile is null)
        {
            throw new UsageException("--tls needs --tls-cert FILE and --tls-key FILE to listen");
        }

        var verifyClients = CaFile is not null && !NoVerify;
        return new DicomServerTlsOptions
        {
            Certificate = LoadCertificate(),
            RequireClientCertificate = verifyClients,
            ClientCertificateValidation = verifyClients ? DicomTlsValidation.TrustedBy(LoadCa(), checkName: false) : null,
        };
    }

    private bool Check()
    {
        var anyDetail = CertificateFile is not null || KeyFile is not null || CaFile is not null || NoVerify;
        if (!Enabled)
        {
            return anyDetail ? throw new UsageException("--tls-cert, --tls-key, --tls-ca and --tls-no-verify need --tls") : false;
        }

        if ((CertificateFile is null) != (KeyFile is null))
        {
            throw new UsageException("--tls-cert and --tls-key go together (PEM certificate and its PEM private key)");
        }

        if (NoVerify)
        {
            Console.Error.WriteLine("WARNING: --tls-no-verify: the peer's certificate is NOT checked. The connection is encrypted but anyone "
                + "can pretend to be the peer. Use it only for testing, never with patient data.");
        }

        return true;
    }

    private X509Certificate2 LoadCertificate()
    {
        try
        {
            return DicomTlsCertificates.Load(CertificateFile!, keyPath: KeyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw new UsageException($"cannot load the certificate {CertificateFile} with the key {KeyFile}: {ex.Message}");
        }
    }

    private X509Certificate2Collection LoadCa()
    {
        try
        {
            return DicomTlsValidation.LoadPemBundle(CaFile!);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw new UsageException($"cannot load --tls-ca {CaFile}: {ex.Message}");
        }
    }
}
