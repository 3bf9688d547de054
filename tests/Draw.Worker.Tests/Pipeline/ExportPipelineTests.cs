using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Export;
using Draw.Domain.Index;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Testing;
using Draw.Testing.FakeDraw;
using Draw.Testing.Peers;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Pipeline;

/// <summary>The pipeline's last step through the export rules: a folder destination, a node that is down, no destination at all.</summary>
public sealed class ExportPipelineTests
{
    private static readonly TemplateDraft Lungs = new() { Name = "Lungs", Backend = "draw-server", Structures = [new StructureChoice(11, 2), new StructureChoice(11, 3)] };

    private static readonly SeriesStatus[] Ends = [SeriesStatus.RtStructureExported, SeriesStatus.RtStructureExportFailed, SeriesStatus.FailedTransferToDrawServer, SeriesStatus.InvalidRtStructureReceived, SeriesStatus.DeidentificationFailed];

    [Theory]
    [MemberData(nameof(Draw.Testing.Database.TestDatabase.Providers), MemberType = typeof(Draw.Testing.Database.TestDatabase))]
    public async Task A_template_rule_to_a_folder_exports_there_with_a_ledger_row(string provider)
    {
        await using var fake = await FakeDrawServer.StartAsync();
        await using var harness = await PipelineHarness.StartAsync(provider, Settings(fake));
        using var share = new TempFolder("draw-pipeline-share");
        var seriesId = await harness.IndexLungAsync(4);
        await using (var db = harness.Database.CreateContext())
        {
            await db.ExportRules.ExecuteUpdateAsync(s => s.SetProperty(r => r.Enabled, false)); // write-back off
        }

        var template = await harness.ChooseTemplateAsync(seriesId, "draw-server", FakeCatalogue.Json, Lungs);
        await using (var db = harness.Database.CreateContext())
        {
            var folder = await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Name = "TPS import", Kind = DestinationKind.Folder, FolderRoot = share.Path, PathPattern = "{PatientID}/{Modality}" }, "admin", CancellationToken.None);
            await db.AddRuleAsync(TimeProvider.System, folder.Id, template.Id, "admin", CancellationToken.None);
        }

        Assert.Equal(SeriesStatus.RtStructureExported, await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(90), Ends));

        var written = Assert.Single(Directory.GetFiles(share.Path, "*", SearchOption.AllDirectories));
        var result = DicomFile.OpenHeader(written).Dataset;
        var patient = result.GetString(DicomTags.PatientID)!;
        Assert.Equal(Path.Combine(share.Path, SafeFileName.Clean(patient), "RTSTRUCT", $"DRAW_{SafeFileName.Clean(patient)}_{result.GetString(DicomTags.SOPInstanceUID)}.dcm"), written);
        Assert.Empty(Directory.GetFiles(harness.ImagesFolder, "RS_*"));
        await using var check = harness.Database.CreateContext();
        var job = await check.SegmentationJobs.SingleAsync();
        var entry = Assert.Single(await check.ExportLedger.ToListAsync());
        Assert.Equal((LedgerResult.Delivered, seriesId, job.Id, "TPS import", written), (entry.Result, entry.SeriesId!.Value, entry.JobId!.Value, entry.DestinationName, entry.Target));
    }

    [Fact]
    public async Task When_the_only_node_is_down_the_series_ends_export_failed_and_a_retry_delivers_once_it_is_up()
    {
        await using var fake = await FakeDrawServer.StartAsync();
        await using var harness = await PipelineHarness.StartAsync("Sqlite", Settings(fake));
        var seriesId = await harness.IndexLungAsync(4);
        await harness.ChooseTemplateAsync(seriesId, "draw-server", FakeCatalogue.Json, Lungs);
        var port = FreePort.Next();
        await using (var db = harness.Database.CreateContext())
        {
            await db.ExportRules.ExecuteDeleteAsync();
            var node = await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination
            {
                Name = "TPS",
                Kind = DestinationKind.DicomNode,
                MaxAttempts = 2,
                BackoffBaseSeconds = 1,
                BackoffMaxSeconds = 1,
                Nodes = { new DestinationNode { AeTitle = "TPS", Host = "127.0.0.1", Port = port, TimeoutSeconds = 3 } },
            }, "admin", CancellationToken.None);
            await db.AddRuleAsync(TimeProvider.System, node.Id, null, "admin", CancellationToken.None);
        }

        Assert.Equal(SeriesStatus.RtStructureExportFailed, await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(90), Ends));
        await using (var db = harness.Database.CreateContext())
        {
            var job = await db.SegmentationJobs.SingleAsync();
            Assert.Contains($"TPS: TPS@127.0.0.1:{port}", job.LastError, StringComparison.Ordinal);
            Assert.Equal(LedgerResult.Failed, (await db.ExportLedger.SingleAsync()).Result);
        }

        using var received = new TempFolder("draw-pipeline-tps");
        await using var storescp = await Dcmtk.StartStoreScpAsync(received.Path, port, "TPS");
        await using (var db = harness.Database.CreateContext())
        {
            await SeriesDecisions.RetrySeriesAsync(db, TimeProvider.System, seriesId, "physicist", CancellationToken.None);
            await db.SaveChangesAsync();
        }

        Assert.Equal(SeriesStatus.RtStructureExported, await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(90), SeriesStatus.RtStructureExported));
        Assert.Single(Directory.GetFiles(received.Path, "*.dcm", SearchOption.AllDirectories));
        await using var check = harness.Database.CreateContext();
        var delivery = await check.ExportDeliveries.SingleAsync();
        Assert.Equal((DeliveryState.Delivered, 1), (delivery.State, delivery.Attempts)); // the same delivery, re-armed by the retry
        Assert.Single(await check.Events.Where(e => e.Kind == Draw.Domain.Work.EventKinds.ExportRequested && e.Payload.Contains("\"retry\"")).ToListAsync());
        Assert.Equal(LedgerResult.Delivered, (await check.ExportLedger.SingleAsync()).Result);
        Assert.Single(fake.Uploads);
    }

    [Fact]
    public async Task Without_any_destination_the_export_fails_with_a_clear_reason()
    {
        await using var fake = await FakeDrawServer.StartAsync();
        await using var harness = await PipelineHarness.StartAsync("Sqlite", Settings(fake));
        var seriesId = await harness.IndexLungAsync(4);
        await harness.ChooseTemplateAsync(seriesId, "draw-server", FakeCatalogue.Json, Lungs);
        await using (var db = harness.Database.CreateContext())
        {
            await db.ExportDestinations.ExecuteDeleteAsync();
        }

        Assert.Equal(SeriesStatus.RtStructureExportFailed, await harness.RunUntilAsync(seriesId, TimeSpan.FromSeconds(90), Ends));
        await using var check = harness.Database.CreateContext();
        Assert.Contains("no export destination", (await check.SegmentationJobs.SingleAsync()).LastError, StringComparison.Ordinal);
        var status = await check.Events.Where(e => e.SeriesId == seriesId && e.Kind == Draw.Domain.Work.EventKinds.SeriesStatusChanged).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        Assert.Contains("no export destination", status[^1], StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(FakeDrawServer fake) => new()
    {
        ["Draw:DrawServer:Enabled"] = "true",
        ["Draw:DrawServer:BaseUrl"] = fake.BaseUrl,
        ["Draw:DrawServer:ClientId"] = "export-test",
        ["Draw:DrawServer:BearerToken"] = fake.InitialAccessToken,
        ["Draw:DrawServer:RefreshToken"] = fake.InitialRefreshToken,
        ["Draw:DrawServer:BusyWaitSeconds"] = "1",
    };
}
