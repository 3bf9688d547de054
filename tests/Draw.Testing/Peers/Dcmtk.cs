namespace Draw.Testing.Peers;

/// <summary>The dcmtk command line tools (Debian package dcmtk), run as real peers.</summary>
public static class Dcmtk
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    public static Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments) =>
        PeerProcess.RunAsync(tool, arguments, DefaultTimeout);

    public static Task<(int ExitCode, string Output)> EchoScuAsync(int port, string calledAe, string callingAe = "ECHOSCU", params string[] extra) =>
        RunAsync("echoscu", [.. extra, "-aet", callingAe, "-aec", calledAe, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>storescu with -R: each file is proposed in its own transfer syntax only, so it is sent unchanged.</summary>
    public static Task<(int ExitCode, string Output)> StoreScuAsync(int port, string calledAe, IEnumerable<string> files, string callingAe = "STORESCU", params string[] extra) =>
        RunAsync("storescu", [.. extra, "-R", "-aet", callingAe, "-aec", calledAe, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);

    /// <summary>Converts a file to another transfer syntax (e.g. "+te" explicit LE, "+ti" implicit, "+tb" big endian, "+td" deflated).</summary>
    public static async Task ConvertAsync(string source, string destination, string syntaxOption)
    {
        var (code, output) = await RunAsync("dcmconv", syntaxOption, source, destination);
        if (code != 0)
        {
            throw new InvalidOperationException($"dcmconv {syntaxOption} {source} failed:\n{output}");
        }
    }

    /// <summary>dcmdump output of a file, for "the same data set" comparisons.</summary>
    public static async Task<string> DumpAsync(string file, params string[] extra)
    {
        var (code, output) = await RunAsync("dcmdump", [.. extra, file]);
        if (code != 0)
        {
            throw new InvalidOperationException($"dcmdump {file} failed:\n{output}");
        }

        return output;
    }

    /// <summary>A storescp listening on a loopback port, writing what it receives to <paramref name="folder"/>.</summary>
    public static async Task<PeerProcess> StartStoreScpAsync(string folder, int port, string aeTitle = "STORESCP")
    {
        var peer = PeerProcess.Start(
            "storescp",
            ["--aetitle", aeTitle, "--output-directory", folder, "+xa", "+B", "--filename-extension", ".dcm", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            await peer.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }
}
