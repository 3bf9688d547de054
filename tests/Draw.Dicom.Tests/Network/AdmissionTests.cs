using System.Net;
using Draw.Dicom.Network.Association;
using Draw.Dicom.Network.Server;
using Draw.Testing;
using Draw.Testing.Peers;

namespace Draw.Dicom.Tests.Network;

/// <summary>
/// Who gets in, checked with dcmtk's own tools as the peers: the association limit (held open by storescu
/// associations whose C-STORE our handler keeps waiting), the address allow-list and the calling AE allow-list,
/// each refused with its A-ASSOCIATE-RJ reason as echoscu reports it.
/// </summary>
public sealed class AdmissionTests : IDisposable
{
    private readonly TempFolder _folder = new("draw-net-admission");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Beyond_max_associations_echoscu_is_rejected_as_local_limit_exceeded_and_admitted_once_one_ends()
    {
        var handler = new HeldStoreHandler(new FolderStoreHandler(_folder.Path));
        var rejections = new List<DicomRejection>();
        await using var server = new DicomServer(new DicomServerOptions { Port = 0, MaxAssociations = 2 }, handler);
        server.AssociationRejected += (_, e) => { lock (rejections) { rejections.Add(e.Rejection); } };
        await server.StartAsync();
        var slices = NetworkTestData.LungSlices.Take(2).ToList();

        // Two storescu associations, each stuck in its C-STORE until the handler lets go: the limit is reached.
        var senders = slices.Select(s => Dcmtk.StoreScuAsync(server.Port, "DRAW", [s])).ToList();
        await handler.WaitUntilHeldAsync(2);

        var (refusedCode, refusedOutput) = await Dcmtk.EchoScuAsync(server.Port, "DRAW");
        Assert.NotEqual(0, refusedCode);
        Assert.Contains("Local Limit Exceeded", refusedOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Transient", refusedOutput, StringComparison.OrdinalIgnoreCase);
        lock (rejections)
        {
            Assert.Equal(DicomRejection.LocalLimitExceeded, Assert.Single(rejections));
        }

        handler.Release();
        foreach (var sender in senders)
        {
            var (code, output) = await sender;
            Assert.True(code == 0, output);
        }

        // The held associations have ended (their senders exited): a new one is admitted again. Their sessions
        // finish a moment after the peers exit, so the echo is retried until then.
        var admitted = await EchoUntilAdmittedAsync(server.Port);
        Assert.True(admitted.ExitCode == 0, admitted.Output);
        Assert.Equal(2, Directory.GetFiles(_folder.Path, "*.dcm").Length);
    }

    [Fact]
    public async Task A_peer_outside_the_allowed_networks_is_rejected_permanently_with_no_reason_given()
    {
        var options = new DicomServerOptions { Port = 0 };
        options.AllowedPeers.Add(IPNetwork.Parse("10.0.0.0/8"));
        var rejections = new List<DicomRejection>();
        await using var server = new DicomServer(options, new FolderStoreHandler(_folder.Path));
        server.AssociationRejected += (_, e) => { lock (rejections) { rejections.Add(e.Rejection); } };
        await server.StartAsync();

        var (code, output) = await Dcmtk.EchoScuAsync(server.Port, "DRAW");

        Assert.NotEqual(0, code);
        Assert.Contains("Rejected Permanent", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("No Reason", output, StringComparison.OrdinalIgnoreCase);
        lock (rejections)
        {
            Assert.Equal(DicomRejection.NoReasonGiven, Assert.Single(rejections));
        }

        // The loopback network on the list lets the same peer in.
        options.AllowedPeers.Add(IPNetwork.Parse("127.0.0.0/8"));
        var (allowedCode, allowedOutput) = await Dcmtk.EchoScuAsync(server.Port, "DRAW");
        Assert.True(allowedCode == 0, allowedOutput);
    }

    [Fact]
    public async Task A_calling_ae_title_not_on_the_list_is_rejected_as_calling_ae_not_recognized()
    {
        var options = new DicomServerOptions { Port = 0 };
        options.AllowedCallingAeTitles.Add("FRIEND");
        await using var server = new DicomServer(options, new FolderStoreHandler(_folder.Path));
        await server.StartAsync();

        var (code, output) = await Dcmtk.EchoScuAsync(server.Port, "DRAW", callingAe: "STRANGER");
        Assert.NotEqual(0, code);
        Assert.Contains("Calling AE Title Not Recognized", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Rejected Permanent", output, StringComparison.OrdinalIgnoreCase);

        var (friendCode, friendOutput) = await Dcmtk.EchoScuAsync(server.Port, "DRAW", callingAe: "FRIEND");
        Assert.True(friendCode == 0, friendOutput);
    }

    private static async Task<(int ExitCode, string Output)> EchoUntilAdmittedAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var result = await Dcmtk.EchoScuAsync(port, "DRAW");
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Keeps every C-STORE waiting (its association open) until released; counts the held ones.</summary>
    private sealed class HeldStoreHandler(IDicomStoreHandler inner) : IDicomStoreHandler
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim _held = new(0);

        public string GetTemporaryFolder(DicomIncomingInstance instance) => inner.GetTemporaryFolder(instance);

        public async ValueTask<DicomStoreDecision> OnInstanceReceivedAsync(DicomIncomingInstance instance, CancellationToken cancellationToken)
        {
            _held.Release();
            await _release.Task.WaitAsync(cancellationToken);
            return await inner.OnInstanceReceivedAsync(instance, cancellationToken);
        }

        public async Task WaitUntilHeldAsync(int count)
        {
            for (var n = 0; n < count; n++)
            {
                Assert.True(await _held.WaitAsync(TimeSpan.FromSeconds(60)), $"only {n} of {count} associations reached the handler");
            }
        }

        public void Release() => _release.TrySetResult();
    }
}
