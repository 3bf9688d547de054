using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Draw.Testing;
using Draw.Testing.Peers;
using Draw.Testing.Processes;

namespace Draw.Dicom.Tests.Network;

/// <summary>
/// The TLS options of `draw listen`, `draw echo` and `draw send`, run as real processes with a self-signed
/// certificate made here, and dcmtk's echoscu (+tls, with and without a client certificate) as the other peer.
/// </summary>
public sealed class CliTlsTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();
    private readonly TempFolder _folder = new("draw-cli-tls");
    private readonly string _certificate;
    private readonly string _key;

    public CliTlsTests()
    {
        _certificate = Path.Combine(_folder.Path, "draw.crt");
        _key = Path.Combine(_folder.Path, "draw.key");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_certificate, self.ExportCertificatePem());
        File.WriteAllText(_key, rsa.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Draw_listen_with_tls_is_echoed_and_sent_to_by_draw_and_echoed_by_dcmtk()
    {
        var port = FreePort.Next();
        var received = Path.Combine(_folder.Path, "in");
        await using var listen = await ListenAsync(port, received, "--tls", "--tls-cert", _certificate, "--tls-key", _key);
        var to = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

        // Trusting the certificate through --tls-ca: echo and send succeed.
        var echo = await RunDrawAsync("echo", "--to", to, "--aet", "DRAW", "--tls", "--tls-ca", _certificate);
        Assert.True(echo.Code == 0, echo.Output);
        Assert.Contains("Success", echo.Output, StringComparison.OrdinalIgnoreCase);
        var slice = NetworkTestData.LungSlices[0];
        var send = await RunDrawAsync("send", slice, "--to", to, "--aet", "DRAW", "--tls", "--tls-ca", _certificate);
        Assert.True(send.Code == 0, send.Output);
        Assert.Single(Directory.GetFiles(received, "*.dcm"));

        // Without it the self-signed certificate is not trusted; with --tls-no-verify it is not checked, loudly.
        var untrusted = await RunDrawAsync("echo", "--to", to, "--aet", "DRAW", "--tls");
        Assert.True(untrusted.Code != 0, untrusted.Output);
        var notChecked = await RunDrawAsync("echo", "--to", to, "--aet", "DRAW", "--tls", "--tls-no-verify");
        Assert.True(notChecked.Code == 0, notChecked.Output);
        Assert.Contains("WARNING: --tls-no-verify", notChecked.Output, StringComparison.Ordinal);

        // A plain-TCP echo cannot talk to the TLS port.
        var plain = await RunDrawAsync("echo", "--to", to, "--aet", "DRAW", "--timeout", "5");
        Assert.True(plain.Code != 0, plain.Output);

        // dcmtk: echoscu +tls with a client key and certificate, trusting ours; and anonymous TLS (+tla).
        var dcmtk = await Dcmtk.RunAsync("echoscu", "+tls", _key, _certificate, "+cf", _certificate, "-aec", "DRAW", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        Assert.True(dcmtk.ExitCode == 0, dcmtk.Output);
        var anonymous = await Dcmtk.RunAsync("echoscu", "+tla", "+cf", _certificate, "-aec", "DRAW", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        Assert.True(anonymous.ExitCode == 0, anonymous.Output);
        Assert.False(listen.HasExited, listen.Output);
    }

    [Fact]
    public async Task Draw_listen_with_a_tls_ca_admits_only_clients_with_a_certificate_it_trusts()
    {
        var port = FreePort.Next();
        await using var listen = await ListenAsync(port, Path.Combine(_folder.Path, "in"), "--tls", "--tls-cert", _certificate, "--tls-key", _key, "--tls-ca", _certificate);
        var portText = port.ToString(CultureInfo.InvariantCulture);

        var withCertificate = await Dcmtk.RunAsync("echoscu", "+tls", _key, _certificate, "+cf", _certificate, "-aec", "DRAW", "127.0.0.1", portText);
        Assert.True(withCertificate.ExitCode == 0, withCertificate.Output);
        var drawWithCertificate = await RunDrawAsync("echo", "--to", "127.0.0.1:" + portText, "--aet", "DRAW", "--tls", "--tls-ca", _certificate, "--tls-cert", _certificate, "--tls-key", _key);
        Assert.True(drawWithCertificate.Code == 0, drawWithCertificate.Output);

        var without = await Dcmtk.RunAsync("echoscu", "+tla", "+cf", _certificate, "-aec", "DRAW", "127.0.0.1", portText);
        Assert.True(without.ExitCode != 0, without.Output);
        Assert.False(listen.HasExited, listen.Output);
    }

    [Fact]
    public async Task Tls_details_without_tls_or_a_certificate_without_its_key_are_usage_errors()
    {
        var detailOnly = await RunDrawAsync("echo", "--to", "127.0.0.1:104", "--tls-ca", _certificate);
        Assert.Equal(2, detailOnly.Code);
        Assert.Contains("need --tls", detailOnly.Output, StringComparison.Ordinal);
        var noKey = await RunDrawAsync("listen", "--out", _folder.Path, "--tls", "--tls-cert", _certificate);
        Assert.Equal(2, noKey.Code);
        Assert.Contains("--tls-cert and --tls-key go together", noKey.Output, StringComparison.Ordinal);
    }

    private static string DrawDll => RepoPaths.ProgramDll("Draw.Cli", "draw");

    private static async Task<DrawProcess> ListenAsync(int port, string output, params string[] tls)
    {
        var listen = DrawProcess.Start("draw listen", DrawDll, NoEnvironment, ["listen", "--port", port.ToString(CultureInfo.InvariantCulture), "--aet", "DRAW", "--out", output, .. tls]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!listen.Output.Contains("listening as", StringComparison.Ordinal))
        {
            if (listen.HasExited || DateTime.UtcNow > deadline)
            {
                var log = listen.Output;
                await listen.DisposeAsync();
                throw new InvalidOperationException($"draw listen did not start:\n{log}");
            }

            await Task.Delay(100);
        }

        return listen;
    }

    private static async Task<(int Code, string Output)> RunDrawAsync(params string[] arguments)
    {
        await using var draw = DrawProcess.Start("draw " + arguments[0], DrawDll, NoEnvironment, arguments);
        var code = await draw.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, draw.Output);
    }
}
