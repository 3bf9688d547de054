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

    /// <summary>
    /// storescu with a generated association configuration (-xf): one presentation context per (SOP class, transfer
    /// syntax) pair of the files, each with that single syntax, so every file goes out in its own syntax (compressed
    /// ones included) over one association. <paramref name="configFolder"/> receives the configuration file.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> StoreScuAsIsAsync(int port, string calledAe, IReadOnlyCollection<string> files, string configFolder, string callingAe = "STORESCU")
    {
        var pairs = files.Select(f => Draw.Dicom.IO.DicomFile.OpenHeader(f))
            .Select(d => (SopClass: d.Dataset.GetString(Draw.Dicom.Core.DicomTags.SOPClassUID)!.Trim('\0', ' '), Syntax: d.TransferSyntax.Uid))
            .Distinct()
            .ToList();
        var syntaxes = pairs.Select(p => p.Syntax).Distinct().ToList();
        var config = new System.Text.StringBuilder();
        config.AppendLine("[[TransferSyntaxes]]");
        for (var i = 0; i < syntaxes.Count; i++)
        {
            config.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"[TS{i}]").AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"TransferSyntax1 = {syntaxes[i]}");
        }

        config.AppendLine("[[PresentationContexts]]").AppendLine("[DrawContexts]");
        for (var i = 0; i < pairs.Count; i++)
        {
            config.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"PresentationContext{i + 1} = {pairs[i].SopClass}\\TS{syntaxes.IndexOf(pairs[i].Syntax)}");
        }

        config.AppendLine("[[Profiles]]").AppendLine("[Draw]").AppendLine("PresentationContexts = DrawContexts");
        var path = Path.Combine(configFolder, $"storescu-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(path, config.ToString());
        return await RunAsync("storescu", ["-xf", path, "Draw", "-aet", callingAe, "-aec", calledAe, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);
    }

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
