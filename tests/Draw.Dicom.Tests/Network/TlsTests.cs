using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Server;
using Draw.Dicom.Network.Tls;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>TLS for both roles (PS3.15 B.1) with a certificate loaded the way configuration names it.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Our_scu_stores_over_tls_to_our_scp_and_dcmtk_echoes_over_tls()
    {
        using var folder = new TempFolder("draw-net-tls");
        var pfx = Path.Combine(folder.Path, "scp.pfx");
        var certificatePem = Path.Combine(folder.Path, "scp.crt");
        var keyPem = Path.Combine(folder.Path, "scp.key");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, self.Export(X509ContentType.Pkcs12, "pw"));
            await File.WriteAllTextAsync(certificatePem, self.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPem, rsa.ExportPkcs8PrivateKeyPem());
        }

        using var certificate = DicomTlsCertificates.Load(pfx, "pw");
        using var fromPem = DicomTlsCertificates.Load(certificatePem, keyPath: keyPem);
        Assert.True(fromPem.HasPrivateKey);
        var store = Path.Combine(folder.Path, "in");
        await using var server = new DicomServer(new DicomServerOptions { Port = 0, Tls = new DicomServerTlsOptions { Certificate = certificate } }, new FolderStoreHandler(store));
        await server.StartAsync();

        var client = new DicomClient(new DicomClientOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            CalledAeTitle = "DRAW",
            Tls = new DicomClientTlsOptions { TargetHost = "localhost", ServerCertificateValidation = DicomTlsCertificates.Pinned(certificate) },
        });
        var slices = NetworkTestData.LungSlices.Take(5).ToList();
        var summary = await client.StoreFilesAsync(slices);
        Assert.Equal(5, summary.Succeeded);
        await DcmtkInteropTests.AssertStoredUnchangedAsync(slices, store);

        // A plain-TCP peer cannot talk to the TLS port, and the server goes on serving.
        var plain = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "DRAW", AssociationTimeout = TimeSpan.FromSeconds(5) });
        await Assert.ThrowsAnyAsync<Exception>(() => plain.EchoAsync());

        // dcmtk's echoscu with anonymous TLS, trusting our certificate.
        var (code, output) = await Dcmtk.RunAsync("echoscu", "+tla", "+cf", certificatePem, "-aec", "DRAW", "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, output);
    }
}
