using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Server;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>Our SCP and SCU against dcmtk's echoscu, storescu and storescp.</summary>
public sealed class DcmtkInteropTests(NetworkTestData data) : IClassFixture<NetworkTestData>
{
    [Fact]
    public async Task Echoscu_is_answered_by_our_scp()
    {
        using var folder = new TempFolder("draw-net");
        await using var server = await DicomServer.StartFolderSinkAsync(folder.Path);
        var (code, output) = await Dcmtk.EchoScuAsync(server.Port, "DRAW");
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Storescu_sends_200_files_in_several_syntaxes_over_one_association_and_each_is_stored_unchanged()
    {
        Assert.Equal(200, data.Files.Count);
        using var folder = new TempFolder("draw-net");
        await using var server = await DicomServer.StartFolderSinkAsync(folder.Path);
        var closed = new List<DicomAssociationClosedEventArgs>();
        server.AssociationClosed += (_, e) => { lock (closed) { closed.Add(e); } };

        using var config = new TempFolder("draw-net-cfg");
        var (code, output) = await Dcmtk.StoreScuAsIsAsync(server.Port, "DRAW", data.Files, config.Path);

        Assert.True(code == 0, output);
        await WaitUntilAsync(() => closed.Count == 1);
        Assert.Equal(DicomAssociationOutcome.Released, closed[0].Outcome);
        Assert.Equal(200, closed[0].InstancesStored);
        await AssertStoredUnchangedAsync(data.Files, folder.Path);
        Assert.Empty(Directory.GetFiles(folder.Path, ".*"));
    }

    [Fact]
    public async Task Four_storescu_in_parallel_are_all_served()
    {
        using var folder = new TempFolder("draw-net");
        await using var server = await DicomServer.StartFolderSinkAsync(folder.Path);
        var quarters = data.Files.Select((f, i) => (f, i)).GroupBy(x => x.i % 4, x => x.f).Select(g => g.ToList()).ToList();

        using var config = new TempFolder("draw-net-cfg");
        var runs = await Task.WhenAll(quarters.Select(q => Dcmtk.StoreScuAsIsAsync(server.Port, "DRAW", q, config.Path)));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        await AssertStoredUnchangedAsync(data.Files, folder.Path);
        Assert.Empty(Directory.GetFiles(folder.Path, ".*"));
    }

    [Fact]
    public async Task Our_scu_stores_into_storescp_over_one_association()
    {
        using var received = new TempFolder("draw-net-storescp");
        var port = FreePort.Next();
        await using var storescp = await Dcmtk.StartStoreScpAsync(received.Path, port);
        var files = data.Files.Where((_, i) => i % 5 == 0).ToList();
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "STORESCP", CallingAeTitle = "DRAWSCU" });

        Assert.True((await client.EchoAsync()).IsSuccess);
        var summary = await client.StoreFilesAsync(files);

        Assert.True(summary.Failed == 0, string.Join('\n', summary.Files.Where(f => !f.Succeeded).Select(f => $"{f.Path}: {f.Status} {f.Error}")) + storescp.Output);
        Assert.Equal(1, summary.Associations);
        Assert.Equal(files.Count, summary.Succeeded);
        var stored = Directory.GetFiles(received.Path, "*.dcm", SearchOption.AllDirectories);
        Assert.Equal(files.Count, stored.Length);
        var byUid = stored.ToDictionary(NetworkTestData.SopInstanceOf);
        foreach (var source in files)
        {
            // storescp +B writes the data set bit for bit as it came: what we sent is what the file held (plus
            // the NUL that pads an odd-length deflated stream, PS3.5 A.5).
            AssertSameDataSet(source, byUid[NetworkTestData.SopInstanceOf(source)]);
        }
    }

    /// <summary>
    /// Every source arrived with the same data set: byte for byte, or, where the sender itself re-encoded the file
    /// (storescu drops Data Set Trailing Padding), with the same dcmdump of the data set otherwise.
    /// </summary>
    internal static async Task AssertStoredUnchangedAsync(IEnumerable<string> sources, string folder)
    {
        foreach (var source in sources)
        {
            var received = Path.Combine(folder, NetworkTestData.SopInstanceOf(source) + ".dcm");
            Assert.True(File.Exists(received), $"{source} was not stored");
            if (!SameDataSetBytes(source, received))
            {
                Assert.Equal(await DataSetDumpAsync(source), await DataSetDumpAsync(received));
            }

            var sourceSyntax = Draw.Dicom.IO.DicomFile.OpenHeader(source).TransferSyntax.Uid;
            Assert.Equal(sourceSyntax, Draw.Dicom.IO.DicomFile.OpenHeader(received).TransferSyntax.Uid);
        }
    }

    /// <summary>Byte-identical data sets, except for the NUL that pads an odd-length (deflated) source on the wire (PS3.5 A.5).</summary>
    internal static void AssertSameDataSet(string source, string received)
    {
        var expected = NetworkTestData.DataSetBytes(source);
        var actual = NetworkTestData.DataSetBytes(received);
        if ((expected.Length & 1) == 1 && actual.Length == expected.Length + 1 && actual[^1] == 0)
        {
            actual = actual[..^1];
        }

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{source}: the stored data set differs ({expected.Length} vs {actual.Length} bytes)");
    }

    internal static bool SameDataSetBytes(string source, string received)
    {
        var expected = NetworkTestData.DataSetBytes(source);
        var actual = NetworkTestData.DataSetBytes(received);
        if ((expected.Length & 1) == 1 && actual.Length == expected.Length + 1 && actual[^1] == 0)
        {
            actual = actual[..^1];
        }

        return expected.AsSpan().SequenceEqual(actual);
    }

    private static async Task<string> DataSetDumpAsync(string file)
    {
        var dump = await Dcmtk.DumpAsync(file);
        // storescu re-encodes some files: trailing padding dropped, undefined-length sequences and items written with
        // explicit lengths. Those encoding choices are normalized away; every value must still be the same.
        var lines = dump.Split('\n')
            .SkipWhile(l => !l.Contains("Dicom-Data-Set", StringComparison.Ordinal))
            .Where(l => !l.StartsWith("(fffc,fffc)", StringComparison.Ordinal) && !l.Contains("DelimitationItem", StringComparison.Ordinal))
            .Select(l => l.Contains(" SQ (Sequence", StringComparison.Ordinal) || l.Contains(" na (Item", StringComparison.Ordinal)
                ? System.Text.RegularExpressions.Regex.Replace(l[..l.LastIndexOf('#')], " with (undefined|explicit) length", "").TrimEnd()
                : l);
        return string.Join('\n', lines);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
