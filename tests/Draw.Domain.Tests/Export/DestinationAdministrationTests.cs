using Draw.Domain.Export;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Export;

public sealed class DestinationAdministrationTests
{
    [Fact]
    public void Every_bad_setting_is_named()
    {
        var problems = DestinationAdministration.Validate(new ExportDestination
        {
            Name = "",
            Kind = DestinationKind.DicomNode,
            Nodes = { new DestinationNode { AeTitle = "A_VERY_LONG_AE_TITLE", Host = "pacs", Port = 70000 }, new DestinationNode { AeTitle = "OK", Host = "", Position = 1, TimeoutSeconds = 0 } },
            MaxAttempts = 0,
            BackoffBaseSeconds = 10,
            BackoffMaxSeconds = 5,
        });

        foreach (var field in new[] { "Name", "Nodes[0].AeTitle (primary node)", "Nodes[0].Port", "Nodes[1].Host (fallback 1)", "Nodes[1].TimeoutSeconds", "MaxAttempts", "BackoffMaxSeconds" })
        {
            Assert.Contains(problems, p => p.StartsWith(field, StringComparison.Ordinal));
        }

        Assert.Contains(DestinationAdministration.Validate(new ExportDestination { Name = "w", Kind = DestinationKind.DicomWeb, StowUrl = "ftp://x" }), p => p.StartsWith("StowUrl", StringComparison.Ordinal));
        Assert.Contains(DestinationAdministration.Validate(new ExportDestination { Name = "f", Kind = DestinationKind.Folder, FolderRoot = "relative" }), p => p.StartsWith("FolderRoot", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_authorisation_header_is_kept_on_update_masked_when_listed_and_names_stay_unique(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var saved = await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Name = "PACS web", Kind = DestinationKind.DicomWeb, StowUrl = "https://pacs/dicom-web/studies", AuthorizationHeader = "Bearer s3cr3t" }, "admin", CancellationToken.None);

        // A form sends no secret back: null keeps it.
        await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Id = saved.Id, Name = "PACS web", Kind = DestinationKind.DicomWeb, StowUrl = "https://pacs2/dicom-web/studies", MaxAttempts = 7 }, "admin", CancellationToken.None);

        await using (var check = database.CreateContext())
        {
            var stored = await check.ExportDestinations.SingleAsync(d => d.Id == saved.Id);
            Assert.Equal(("Bearer s3cr3t", "https://pacs2/dicom-web/studies", 7), (stored.AuthorizationHeader, stored.StowUrl, stored.MaxAttempts));
            var listed = (await check.ListDestinationsAsync(CancellationToken.None)).Single(d => d.Id == saved.Id);
            Assert.Equal("Bearer ****", listed.AuthorizationMasked);
            Assert.DoesNotContain("s3cr3t", listed.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(await check.Events.Select(e => e.Payload).ToListAsync(), p => p.Contains("s3cr3t", StringComparison.Ordinal));
        }

        var duplicate = await Assert.ThrowsAsync<InvalidDestinationException>(() => db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Name = "PACS web", Kind = DestinationKind.WriteBack }, "admin", CancellationToken.None));
        Assert.Contains("exists already", duplicate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Removing_a_destination_fails_its_waiting_deliveries_and_keeps_the_ledger(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var node = await db.SaveDestinationAsync(TimeProvider.System, new ExportDestination { Name = "Node", Kind = DestinationKind.DicomNode, Nodes = { new DestinationNode { AeTitle = "PACS", Host = "127.0.0.1", Port = 104 } } }, "admin", CancellationToken.None);
        await db.AddRuleAsync(TimeProvider.System, node.Id, null, "admin", CancellationToken.None);
        var (waiting, _) = await db.EnsureDeliveryAsync(TimeProvider.System, new DeliveryRequest(node.Id, "1.2.3", "/x.dcm", "pipeline"), CancellationToken.None);
        db.ExportLedger.Add(new ExportLedgerEntry { DeliveryId = 999, DestinationId = node.Id, DestinationName = "Node", SopInstanceUid = "9.9", SourcePath = "/y.dcm", RequestedBy = "pipeline", ExportedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        await db.DeleteDestinationAsync(TimeProvider.System, node.Id, "admin", CancellationToken.None);

        await using var check = database.CreateContext();
        var failed = await check.ExportDeliveries.SingleAsync(d => d.Id == waiting.Id);
        Assert.Equal(DeliveryState.Failed, failed.State);
        Assert.Contains("removed by admin", failed.LastError, StringComparison.Ordinal);
        Assert.Single(await check.ExportLedger.ToListAsync());
        Assert.Empty(await check.ExportRules.Where(r => r.DestinationId == node.Id).ToListAsync());
        Assert.Empty(await check.DestinationNodes.ToListAsync());
    }
}
