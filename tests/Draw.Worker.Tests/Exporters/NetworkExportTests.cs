using System.Net.Http.Json;
using System.Text.Json;
using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Export;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Peers;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Tests.Exporters;

/// <summary>DICOM node and STOW-RS destinations against real peers: dcmtk's storescp and Orthanc (with its DICOMweb plugin).</summary>
public sealed class NetworkExportTests
{
    [Fact]
    public async Task A_node_that_is_down_falls_back_to_the_next_which_receives_the_file()
    {
        await using var harness = await ExportHarness.StartAsync("Sqlite");
        using var received = new TempFolder("draw-export-storescp");
        var fallbackPort = FreePort.Next();
        await using var storescp = await Dcmtk.StartStoreScpAsync(received.Path, fallbackPort, "FALLBACK");
        var down = FreePort.Next();
        var destination = await harness.AddDestinationAsync(new ExportDestination
        {
            Name = "TPS",
            Kind = DestinationKind.DicomNode,
            Nodes = { new DestinationNode { AeTitle = "PRIMARY", Host = "127.0.0.1", Port = down, TimeoutSeconds = 5 }, new DestinationNode { AeTitle = "FALLBACK", Host = "127.0.0.1", Port = fallbackPort, Position = 1, TimeoutSeconds = 10 } },
        });
        var file = harness.RtStruct("NODE1");
        await harness.QueueAsync(destination.Id, file);

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        var stored = Assert.Single(Directory.GetFiles(received.Path, "*.dcm", SearchOption.AllDirectories));
        Assert.Equal(ExportFacts.Read(file).SopInstanceUid, DicomFile.Open(stored).Dataset.GetString(DicomTags.SOPInstanceUID));
        var entry = Assert.Single(await harness.LedgerAsync());
        Assert.Equal((LedgerResult.Delivered, $"FALLBACK@127.0.0.1:{fallbackPort}", "NODE1"), (entry.Result, entry.Target, entry.PatientId));
    }

    [Fact]
    public async Task When_every_node_is_down_the_delivery_is_parked_naming_each_node()
    {
        await using var harness = await ExportHarness.StartAsync("Sqlite");
        var (a, b) = (FreePort.Next(), FreePort.Next());
        var destination = await harness.AddDestinationAsync(new ExportDestination
        {
            Name = "TPS down",
            Kind = DestinationKind.DicomNode,
            MaxAttempts = 2,
            BackoffBaseSeconds = 1,
            BackoffMaxSeconds = 1,
            Nodes = { new DestinationNode { AeTitle = "PRIMARY", Host = "127.0.0.1", Port = a, TimeoutSeconds = 3 }, new DestinationNode { AeTitle = "BACKUP", Host = "127.0.0.1", Port = b, Position = 1, TimeoutSeconds = 3 } },
        });
        var id = await harness.QueueAsync(destination.Id, harness.RtStruct("DOWN"));

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        var parked = await harness.DeliveryAsync(id);
        Assert.Equal((DeliveryState.Failed, 2), (parked.State, parked.Attempts));
        Assert.Contains($"PRIMARY@127.0.0.1:{a}", parked.LastError, StringComparison.Ordinal);
        Assert.Contains($"BACKUP@127.0.0.1:{b}", parked.LastError, StringComparison.Ordinal);
        Assert.Equal(LedgerResult.Failed, Assert.Single(await harness.LedgerAsync()).Result);
    }

    [Fact]
    public async Task C_store_to_orthanc_and_stow_rs_to_its_dicomweb_plugin_both_store_the_instance()
    {
        await using var harness = await ExportHarness.StartAsync("Sqlite");
        await using var orthanc = await OrthancServer.StartAsync([new OrthancModality("draw", "DRAW", FreePort.Next())]);
        var node = await harness.AddDestinationAsync(new ExportDestination
        {
            Name = "Orthanc DIMSE",
            Kind = DestinationKind.DicomNode,
            Nodes = { new DestinationNode { AeTitle = orthanc.AeTitle, Host = "127.0.0.1", Port = orthanc.DicomPort, CallingAeTitle = "DRAW" } },
        });
        var stow = await harness.AddDestinationAsync(new ExportDestination
        {
            Name = "Orthanc web",
            Kind = DestinationKind.DicomWeb,
            StowUrl = $"http://127.0.0.1:{orthanc.HttpPort}/dicom-web/studies",
            AuthorizationHeader = "Bearer not-checked-by-this-orthanc",
        });
        var byDimse = harness.RtStruct("ORTHANC1");
        var byWeb = harness.RtStruct("ORTHANC2");
        await harness.QueueAsync(node.Id, byDimse);
        await harness.QueueAsync(stow.Id, byWeb);

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        foreach (var (file, patient) in new[] { (byDimse, "ORTHANC1"), (byWeb, "ORTHANC2") })
        {
            var sop = ExportFacts.Read(file).SopInstanceUid;
            using var lookup = await orthanc.Http.PostAsync("tools/lookup", new StringContent(sop));
            var found = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync()).RootElement;
            var instance = Assert.Single(found.EnumerateArray(), e => e.GetProperty("Type").GetString() == "Instance");
            var tags = await orthanc.Http.GetFromJsonAsync<JsonElement>($"instances/{instance.GetProperty("ID").GetString()}/simplified-tags");
            Assert.Equal(patient, tags.GetProperty("PatientID").GetString());
        }

        var ledger = await harness.LedgerAsync();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, e => Assert.Equal(LedgerResult.Delivered, e.Result));
        Assert.Equal(stow.StowUrl, ledger.Single(e => e.DestinationKind == DestinationKind.DicomWeb).Target);
    }

    [Fact]
    public async Task A_refused_stow_is_parked_at_once_with_the_http_status()
    {
        await using var harness = await ExportHarness.StartAsync("Sqlite");
        await using var orthanc = await OrthancServer.StartAsync([]);
        var stow = await harness.AddDestinationAsync(new ExportDestination { Name = "wrong path", Kind = DestinationKind.DicomWeb, StowUrl = $"http://127.0.0.1:{orthanc.HttpPort}/dicom-web/no-such-thing" });
        var id = await harness.QueueAsync(stow.Id, harness.RtStruct("STOW404"));

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(30));

        var parked = await harness.DeliveryAsync(id);
        Assert.Equal((DeliveryState.Failed, 1), (parked.State, parked.Attempts));
        Assert.Contains("HTTP 404", parked.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_destination_test_command_echoes_each_node_and_reports_in_the_command_row_and_an_event()
    {
        await using var harness = await ExportHarness.StartAsync("Sqlite");
        await using var orthanc = await OrthancServer.StartAsync([new OrthancModality("draw", "DRAW", FreePort.Next())]);
        var down = FreePort.Next();
        var nodes = await harness.AddDestinationAsync(new ExportDestination
        {
            Name = "nodes",
            Kind = DestinationKind.DicomNode,
            Nodes = { new DestinationNode { AeTitle = orthanc.AeTitle, Host = "127.0.0.1", Port = orthanc.DicomPort }, new DestinationNode { AeTitle = "GONE", Host = "127.0.0.1", Port = down, Position = 1, TimeoutSeconds = 3 } },
        });
        var web = await harness.AddDestinationAsync(new ExportDestination { Name = "web", Kind = DestinationKind.DicomWeb, StowUrl = $"http://127.0.0.1:{orthanc.HttpPort}/dicom-web/studies" });
        long nodesCommand, webCommand;
        await using (var db = harness.Database.CreateContext())
        {
            var first = db.Enqueue(TimeProvider.System, WorkCommandKinds.TestDestination, "admin", $"{{\"destinationId\":{nodes.Id}}}");
            await db.SaveChangesAsync();
            var second = db.Enqueue(TimeProvider.System, WorkCommandKinds.TestDestination, "admin", $"{{\"destinationId\":{web.Id}}}");
            await db.SaveChangesAsync();
            (nodesCommand, webCommand) = (first.Id, second.Id);
        }

        Assert.Equal(2, await harness.Commands.DrainAsync(CancellationToken.None));

        await using var check = harness.Database.CreateContext();
        var nodesResult = (await check.WorkCommands.SingleAsync(c => c.Id == nodesCommand)).Result;
        Assert.StartsWith("failed: ", nodesResult, StringComparison.Ordinal);
        Assert.Contains($"{orthanc.AeTitle}@127.0.0.1:{orthanc.DicomPort}: C-ECHO Success", nodesResult, StringComparison.Ordinal);
        Assert.Contains($"GONE@127.0.0.1:{down}: C-ECHO failed", nodesResult, StringComparison.Ordinal);
        Assert.StartsWith("ok: ", (await check.WorkCommands.SingleAsync(c => c.Id == webCommand)).Result, StringComparison.Ordinal);
        var events = await check.Events.Where(e => e.Kind == EventKinds.DestinationTested).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        Assert.Equal(2, events.Count);
        Assert.Contains("\"ok\":false", events[0], StringComparison.Ordinal);
        Assert.Contains("\"ok\":true", events[1], StringComparison.Ordinal);
    }
}
