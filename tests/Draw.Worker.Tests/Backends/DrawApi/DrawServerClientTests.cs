using System.Security.Cryptography;
using System.Text.Json;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Domain.Segmentation;
using Draw.Testing.FakeDraw;
using Draw.Worker.Backends.DrawApi;

namespace Draw.Worker.Tests.Backends.DrawApi;

/// <summary>The client against the fake DRAW server over real HTTP on loopback: the happy path and the catalogue.</summary>
public sealed class DrawServerClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Submits_polls_downloads_a_real_rtstruct_and_confirms_with_auth_on_every_call()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var package = h.Package(4, "Heart", "Lung_L", "SpinalCord");

        var health = await h.Backend.CheckHealthAsync(None);
        Assert.Equal(BackendHealthState.Ready, health.State);

        var submission = await h.Backend.SubmitAsync(package, None);
        var status = await h.PollAsync(submission.TaskId);
        Assert.Equal(BackendTaskState.Ready, status.State);
        Assert.Equal(FakeDrawServer.CompletedStatus, status.ServerStatus);

        var destination = Path.Combine(h.Root.Path, "results", "rtstruct.dcm");
        var download = await h.Backend.DownloadAsync(submission.TaskId, destination, None);
        Assert.Equal(destination, download.Path);
        Assert.Equal(new FileInfo(destination).Length, download.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(destination))), download.Sha256);

        // A real RTSTRUCT, made from the series that was sent.
        var rt = DicomFile.Open(destination).Dataset;
        Assert.Equal("RTSTRUCT", rt.GetString(DicomTags.Modality));
        var set = RtStructureSet.Read(rt);
        var series = set.ReferencedFrames.Single().Studies.Single().Series.Single();
        Assert.Equal(package.SeriesInstanceUid, series.SeriesInstanceUid);
        Assert.Equal(4, series.Images.Count);
        Assert.Equal(new[] { "Heart", "Lung_L", "SpinalCord" }, set.Rois.Select(r => r.Name));
        Assert.All(set.Rois, r => Assert.Equal(4, r.Contours.Count));

        await h.Backend.ConfirmAsync(submission.TaskId, None);
        Assert.Equal(FakeDrawServer.DeliveredStatus, h.Server.StatusOf(submission.TaskId));
        var confirmed = await h.Backend.GetStatusAsync(submission.TaskId, None);
        Assert.Equal(BackendTaskState.Ready, confirmed.State);
        Assert.Equal(FakeDrawServer.DeliveredStatus, confirmed.ServerStatus);

        // What the server received.
        var upload = Assert.Single(h.Server.Uploads);
        Assert.Equal(submission.TaskId, upload.TaskId);
        Assert.Equal("Client-A1", upload.ClientId);
        Assert.Equal(package.Sha256, upload.Checksum);
        Assert.Equal(Path.GetFileName(package.ZipPath), upload.FileName);
        Assert.Equal("application/zip", upload.FileContentType);
        var confirmation = Assert.Single(h.Server.Confirmations);
        using (var body = JsonDocument.Parse(confirmation.Body))
        {
            Assert.Equal(submission.TaskId, body.RootElement.GetProperty("task_id").GetString());
            Assert.Equal("received", body.RootElement.GetProperty("status").GetString());
            Assert.True(DateTimeOffset.TryParse(body.RootElement.GetProperty("timestamp").GetString(), out _));
        }

        var requests = h.Server.Requests;
        Assert.Contains(requests, r => r.Method == "GET" && r.Path.EndsWith("/api/health/", StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal("Bearer " + h.Server.InitialAccessToken, r.Authorization));
        Assert.All(requests.Where(r => r.Method == "GET"), r => Assert.Null(r.ContentType));
        Assert.Equal(0, h.Server.RefreshCount);

        // Only the result (and its receipt) are left in the destination folder.
        Assert.Equal(new[] { "rtstruct.dcm", "rtstruct.dcm.draw-receipt" }, Directory.GetFiles(Path.GetDirectoryName(destination)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertNoSecretsLogged(h);
        Assert.Contains(h.Logs, l => l.Contains(submission.TaskId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetches_the_models_catalogue_as_the_servers_json()
    {
        await using var h = await DrawApiHarness.StartAsync();
        var json = await h.Backend.GetCatalogueJsonAsync(None);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var models = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(new[] { 11, 12 }, models.Select(m => m.GetProperty("model_id").GetInt32()));
        Assert.Equal("Heart", models[0].GetProperty("modelmap")[0].GetProperty("map_tg263_primary_name").GetString());
        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("/api/models/", request.Path);
        Assert.Null(request.ContentType);
    }

    [Fact]
    public async Task A_catalogue_that_is_not_a_json_array_is_a_permanent_error()
    {
        await using var h = await DrawApiHarness.StartAsync(new FakeDrawServerOptions { CatalogueJson = """{"results": []}""" });
        var e = await Assert.ThrowsAsync<BackendException>(() => h.Backend.GetCatalogueJsonAsync(None));
        Assert.False(e.Transient);
        Assert.Contains("not a JSON array", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_answered_with_a_transaction_token_uses_it_as_the_task_id()
    {
        await using var h = await DrawApiHarness.StartAsync();
        h.Server.Switches.AnswerTransactionToken = true;
        var submission = await h.Backend.SubmitAsync(h.Package(), None);
        Assert.Equal(h.Server.Uploads.Single().TaskId, submission.TaskId);
    }

    [Theory]
    [InlineData("/draw", "")]
    [InlineData("/draw", "/")]
    [InlineData("/draw/", "//")]
    public async Task The_base_url_works_with_or_without_a_trailing_slash_and_keeps_its_path_prefix(string pathBase, string ending)
    {
        await using var h = await DrawApiHarness.StartAsync(new FakeDrawServerOptions { PathBase = pathBase }, (server, settings) =>
        {
            settings["BaseUrl"] = server.BaseUrl.TrimEnd('/') + ending;
            settings["UploadEndpoint"] = "api/upload/";
        });
        var submission = await h.Backend.SubmitAsync(h.Package(), None);
        Assert.Equal(BackendTaskState.Ready, (await h.PollAsync(submission.TaskId)).State);
        Assert.All(h.Server.Requests, r =>
        {
            Assert.StartsWith("/draw/api/", r.Path, StringComparison.Ordinal);
            Assert.DoesNotContain("//", r.Path, StringComparison.Ordinal);
            Assert.True(r.StatusCode is 200 or 201, $"{r.Method} {r.Path} answered {r.StatusCode}");
        });
    }

    internal static void AssertNoSecretsLogged(DrawApiHarness h)
    {
        Assert.NotEmpty(h.Logs);
        foreach (var line in h.Logs)
        {
            Assert.DoesNotContain(h.Server.InitialAccessToken, line, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Server.InitialRefreshToken, line, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("PSEUDO", line, StringComparison.Ordinal);
        }
    }
}
