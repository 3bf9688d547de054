using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Dicom.Rt;
using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Templates;
using Draw.Domain.Work;
using Draw.Testing.FakeDraw;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Pipeline;

/// <summary>End to end through the DRAW server API against the faithful fake on loopback.</summary>
public sealed class DrawServerPipelineTests
{
    private static readonly TemplateDraft Thorax = new()
    {
        Name = "Thorax (fake server)",
        Backend = "draw-server",
        Structures = [new StructureChoice(11, 2, "Lung_L", "255\\0\\0", "ORGAN"), new StructureChoice(11, 3, "Lung_R", "0\\255\\0", "ORGAN"), new StructureChoice(11, 1, "HEART", "255\\0\\255", "OAR")],
        AdditionalStructures = [new AdditionalStructureDraft("PTV_plan", "0\\0\\255", "PTV")],
    };

    [Theory]
    [MemberData(nameof(Draw.Testing.Database.TestDatabase.Providers), MemberType = typeof(Draw.Testing.Database.TestDatabase))]
    public async Task A_series_goes_from_a_chosen_template_to_an_exported_re_identified_structure_set(string provider)
    {
        // The fake's "segmentation" is the local engine on the de-identified files it received: a real RTSTRUCT comes back.
        await using var fake = await FakeDrawServer.StartAsync(new FakeDrawServerOptions
        {
            Segmenter = (folder, output, ct) => new Draw.Worker.Backends.Local.LocalSegmenter().SegmentSeriesAsync(
                Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).ToList(), output, null, ct),
        });
        await using var harness = await PipelineHarness.StartAsync(provider, Settings(fake));
        var seriesId = await harness.IndexLungAsync(12);
        await harness.ChooseTemplateAsync(seriesId, "draw-server", FakeCatalogue.Json, Thorax);

        var status = await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(90), SeriesStatus.RtStructureExported, SeriesStatus.FailedTransferToDrawServer, SeriesStatus.InvalidRtStructureReceived, SeriesStatus.DeidentificationFailed, SeriesStatus.RtStructureExportFailed);

        Assert.Equal(SeriesStatus.RtStructureExported, status);
        var upload = Assert.Single(fake.Uploads);
        Assert.Equal("test-client", upload.ClientId);
        Assert.Single(fake.Confirmations);
        Assert.Equal(1, fake.DownloadCount);

        var written = Assert.Single(Directory.GetFiles(harness.ImagesFolder, "RS_*_DRAW_*.dcm"));
        var result = DicomFile.Open(written).Dataset;
        var originals = Directory.GetFiles(harness.ImagesFolder, "*.dcm").Where(f => f != written).Select(f => DicomFile.OpenHeader(f).Dataset).ToList();
        Assert.Equal(originals[0].GetString(DicomTags.PatientID), result.GetString(DicomTags.PatientID));
        Assert.Equal(originals[0].GetString(DicomTags.StudyInstanceUID), result.GetString(DicomTags.StudyInstanceUID));
        Assert.NotEqual(originals[0].GetString(DicomTags.SeriesInstanceUID), result.GetString(DicomTags.SeriesInstanceUID));
        var structures = RtStructureSet.Read(result);
        Assert.Subset(originals.Select(o => o.GetString(DicomTags.SOPInstanceUID)!).ToHashSet(), structures.ReferencedImageUids().ToHashSet());
        Assert.Contains("PTV_plan", structures.Rois.Select(r => r.Name));
        Assert.Contains(structures.Rois, r => r.Name == "External" && r.Contours.Count > 0);

        await using var db = harness.Database.CreateContext();
        var path = await db.Events.Where(e => e.SeriesId == seriesId && e.Kind == EventKinds.SeriesStatusChanged).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        var order = new[] { "RuleMatched", "DeidentifiedSuccessfully", "PendingTransferToDrawServer", "SentToDrawServer", "RtStructureReceived", "RtStructureExported" };
        var positions = order.Select(s => path.FindIndex(p => p.Contains($"\"to\":\"{s}\"", StringComparison.Ordinal))).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, string.Join("\n", path)));
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(1, await db.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Exported && o.SeriesId == seriesId));
    }

    public static TheoryData<string, SeriesStatus, string> FailureModes => new()
    {
        { "busy", SeriesStatus.RtStructureExported, "" },
        { "expired-token", SeriesStatus.RtStructureExported, "" },
        { "server-errors", SeriesStatus.RtStructureExported, "" },
        { "confirmation-once", SeriesStatus.RtStructureExported, "" },
        { "wrong-checksum", SeriesStatus.InvalidRtStructureReceived, "checksum" },
        { "not-an-rtstruct", SeriesStatus.InvalidRtStructureReceived, "not an RT Structure Set" },
        { "wrong-series", SeriesStatus.InvalidRtStructureReceived, "refused" },
        { "task-not-found", SeriesStatus.FailedTransferToDrawServer, "not know the task" },
        { "segmentation-failed", SeriesStatus.FailedTransferToDrawServer, "segmentation failed" },
        { "refused-token", SeriesStatus.FailedTransferToDrawServer, "refused the refresh token" },
    };

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task Every_failure_mode_of_the_server_ends_in_the_right_status_with_a_clear_error(string mode, SeriesStatus expected, string error)
    {
        await using var fake = await FakeDrawServer.StartAsync();
        Set(fake.Switches, mode);
        await using var harness = await PipelineHarness.StartAsync("Sqlite", Settings(fake));
        var seriesId = await harness.IndexLungAsync(4);
        await harness.ChooseTemplateAsync(seriesId, "draw-server", FakeCatalogue.Json, Thorax);

        var status = await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(90), SeriesStatus.RtStructureExported, SeriesStatus.FailedTransferToDrawServer, SeriesStatus.InvalidRtStructureReceived, SeriesStatus.DeidentificationFailed);

        Assert.Equal(expected, status);
        await using var db = harness.Database.CreateContext();
        var job = await db.SegmentationJobs.SingleAsync();
        if (error.Length > 0)
        {
            Assert.Contains(error, job.LastError, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(fake.DownloadCount <= 1, $"downloaded {fake.DownloadCount} times");
    }

    [Fact]
    public async Task A_confirmation_that_keeps_failing_parks_the_job_and_a_retry_confirms_without_downloading_again()
    {
        await using var fake = await FakeDrawServer.StartAsync();
        fake.Switches.FailConfirmation = 1000;
        await using var harness = await PipelineHarness.StartAsync("Sqlite", Settings(fake));
        var seriesId = await harness.IndexLungAsync(4);
        await harness.ChooseTemplateAsync(seriesId, "draw-server", FakeCatalogue.Json, Thorax);

        Assert.Equal(SeriesStatus.FailedTransferToDrawServer, await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(60), SeriesStatus.FailedTransferToDrawServer));
        Assert.Equal(1, fake.DownloadCount);

        fake.Switches.FailConfirmation = 0;
        await using (var db = harness.Database.CreateContext())
        {
            await Draw.Domain.Rules.SeriesDecisions.RetrySeriesAsync(db, TimeProvider.System, seriesId, "physicist", CancellationToken.None);
            await db.SaveChangesAsync();
        }

        Assert.Equal(SeriesStatus.RtStructureExported, await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(60), SeriesStatus.RtStructureExported));
        Assert.Equal(1, fake.DownloadCount);
        Assert.Single(fake.Uploads);
        await using var check = harness.Database.CreateContext();
        Assert.Single(await check.SegmentationJobs.ToListAsync());
    }

    private static Dictionary<string, string?> Settings(FakeDrawServer fake) => new()
    {
        ["Draw:DrawServer:Enabled"] = "true",
        ["Draw:DrawServer:BaseUrl"] = fake.BaseUrl,
        ["Draw:DrawServer:ClientId"] = "test-client",
        ["Draw:DrawServer:BearerToken"] = fake.InitialAccessToken,
        ["Draw:DrawServer:RefreshToken"] = fake.InitialRefreshToken,
        ["Draw:DrawServer:BusyWaitSeconds"] = "1",
    };

    private static void Set(FakeDrawServerSwitches switches, string mode)
    {
        switch (mode)
        {
            case "busy": switches.Busy = 2; switches.BusyRetryAfter = TimeSpan.FromSeconds(1); break;
            case "expired-token": switches.ExpireTokens = true; break;
            case "server-errors": switches.ServerErrors = 1; break;
            case "confirmation-once": switches.FailConfirmation = 1; break;
            case "wrong-checksum": switches.WrongChecksum = true; break;
            case "not-an-rtstruct": switches.NotAnRtStruct = true; break;
            case "wrong-series": switches.WrongSeries = true; break;
            case "task-not-found": switches.TaskNotFound = true; break;
            case "segmentation-failed": switches.FailSegmentation = true; break;
            case "refused-token": switches.RejectAllTokens = true; switches.RefuseRefresh = true; break;
        }
    }
}
