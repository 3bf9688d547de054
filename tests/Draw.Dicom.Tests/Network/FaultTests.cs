using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Client;
using Draw.Dicom.Network.Dimse;
using Draw.Dicom.Network.Pdu;
using Draw.Dicom.Network.Server;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>
/// Refusals and faults: each is refused or aborted with a clear logged reason, the SCP goes on serving,
/// and no file, temporary file or file handle is left behind.
/// </summary>
public sealed class FaultTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new("draw-net-faults");
    private readonly CapturingLogger _log = new();
    private readonly List<DicomAssociationRejectedEventArgs> _rejections = [];
    private DicomServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new DicomServerOptions
        {
            AeTitle = "DRAW",
            Port = 0,
            MaxPduLength = 16384,
            ArtimTimeout = TimeSpan.FromSeconds(1),
            DimseTimeout = TimeSpan.FromSeconds(1),
        };
        foreach (var allowed in new[] { "ECHOSCU", "RAWPEER", "DRAWSCU", "FINDSCU" })
        {
            options.AllowedCallingAeTitles.Add(allowed);
        }

        _server = new DicomServer(options, new FolderStoreHandler(_folder.Path), _log);
        _server.AssociationRejected += (_, e) => { lock (_rejections) { _rejections.Add(e); } };
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_unknown_called_ae_is_rejected_as_called_ae_not_recognized()
    {
        var (code, output) = await Dcmtk.EchoScuAsync(_server.Port, "NOTDRAW");
        Assert.NotEqual(0, code);
        Assert.Contains("Called AE Title Not Recognized", output, StringComparison.OrdinalIgnoreCase);
        await _log.WaitForAsync("rejected: permanent rejection by ServiceUser: called AE title not recognized");
        Assert.Equal(DicomRejection.CalledAeNotRecognized, Assert.Single(_rejections).Rejection);
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task A_calling_ae_not_allowed_is_rejected_as_calling_ae_not_recognized()
    {
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = _server.Port, CalledAeTitle = "DRAW", CallingAeTitle = "STRANGER" });
        var refused = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => client.EchoAsync());
        Assert.Equal(DicomRejection.CallingAeNotRecognized, refused.Rejection);
        await _log.WaitForAsync("calling AE title not recognized");
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task An_unsupported_abstract_syntax_is_refused_in_its_presentation_context()
    {
        var (code, output) = await Dcmtk.RunAsync("findscu", "-S", "-aet", "FINDSCU", "-aec", "DRAW", "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(0, code);
        Assert.Contains("No Acceptable Presentation Contexts", output, StringComparison.OrdinalIgnoreCase);

        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = _server.Port, CalledAeTitle = "DRAW", CallingAeTitle = "DRAWSCU" });
        await using (var association = await client.OpenAsync([(DimseSopClasses.StudyRootFind, new[] { "1.2.840.10008.1.2.1" })]))
        {
            Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, association.Negotiated.PresentationContexts[0].Result);
        }

        await _log.WaitForAsync("0/1 presentation contexts");
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task A_peer_that_aborts_mid_transfer_leaves_no_file()
    {
        await using (var peer = await RawPeer.ConnectAsync(_server.Port))
        {
            Assert.Equal(PduType.AssociateAccept, await peer.AssociateAsync());
            await peer.SendPartialStoreAsync();
            await WaitForTemporaryFileAsync();
            await peer.SendAsync(AbortPdu.Encode(AbortSource.ServiceUser, AbortReason.NotSpecified));
        }

        await _log.WaitForAsync("AbortedByPeer");
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task A_connection_dropped_mid_transfer_leaves_no_file()
    {
        await using (var peer = await RawPeer.ConnectAsync(_server.Port))
        {
            Assert.Equal(PduType.AssociateAccept, await peer.AssociateAsync());
            await peer.SendPartialStoreAsync();
            await WaitForTemporaryFileAsync();
        }

        await _log.WaitForAsync("AbortedByPeer");
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task A_malformed_pdu_is_answered_with_an_abort()
    {
        await using (var peer = await RawPeer.ConnectAsync(_server.Port))
        {
            Assert.Equal(PduType.AssociateAccept, await peer.AssociateAsync());
            await peer.SendAsync([0x55, 0, 0, 0, 0, 4, 1, 2, 3, 4]);
            Assert.Equal([PduType.Abort], await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await _log.WaitForAsync("aborted by us: unrecognized PDU type 0x55");

        await using (var garbage = await RawPeer.ConnectAsync(_server.Port))
        {
            // Not even an association request: an HTTP request sent to the DICOM port.
            await garbage.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            Assert.Equal([PduType.Abort], await garbage.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await _log.WaitForAsync("closed before association: unrecognized PDU type 0x47");
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task A_pdu_longer_than_agreed_is_aborted_without_reading_it()
    {
        await using (var peer = await RawPeer.ConnectAsync(_server.Port))
        {
            Assert.Equal(PduType.AssociateAccept, await peer.AssociateAsync());
            var huge = new byte[6];
            PduHeader.Write(huge, PduType.DataTransfer, 2_000_000_000);
            await peer.SendAsync(huge);
            Assert.Equal([PduType.Abort], await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await _log.WaitForAsync("P-DATA-TF PDU of 2000000000 bytes exceeds the agreed maximum of 16384");
        await AssertStillServingAndCleanAsync();
    }

    [Fact]
    public async Task A_silent_peer_is_cut_off_by_the_artim_and_dimse_timers()
    {
        await using (var silent = await RawPeer.ConnectAsync(_server.Port))
        {
            Assert.Empty(await silent.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await _log.WaitForAsync("no A-ASSOCIATE-RQ within the ARTIM timeout");

        await using (var stalled = await RawPeer.ConnectAsync(_server.Port))
        {
            Assert.Equal(PduType.AssociateAccept, await stalled.AssociateAsync());
            await stalled.SendPartialStoreAsync();
            Assert.Equal([PduType.Abort], await stalled.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await _log.WaitForAsync("the peer was silent for 1 s");
        await AssertStillServingAndCleanAsync();
    }

    private async Task WaitForTemporaryFileAsync() =>
        await DcmtkInteropTests.WaitUntilAsync(() => Directory.GetFiles(_folder.Path, ".*").Length == 1);

    /// <summary>echoscu still gets an answer, the folder is empty, and this process holds no handle in it.</summary>
    private async Task AssertStillServingAndCleanAsync()
    {
        var (code, output) = await Dcmtk.EchoScuAsync(_server.Port, "DRAW");
        Assert.True(code == 0, output);
        await DcmtkInteropTests.WaitUntilAsync(() => _server.ActiveAssociations == 0);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
        var open = Directory.GetFiles("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target is not null && target.StartsWith(_folder.Path, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(open);
    }
}
