using Draw.Domain.Export;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Tests.Export;

/// <summary>The export migration on both providers: write-back keeps working for an installation that upgrades.</summary>
public sealed class ExportSchemaTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_seeds_a_write_back_destination_with_a_global_rule_and_new_rows_get_fresh_ids(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        await using (var db = database.CreateContext())
        {
            // An installation from before exports, then the upgrade.
            await db.GetService<IMigrator>().MigrateAsync("20261123180000_Pipeline");
            await db.Database.MigrateAsync();
        }

        await using var check = database.CreateContext();
        var writeBack = await check.ExportDestinations.SingleAsync();
        Assert.Equal(("Write-back", DestinationKind.WriteBack, true), (writeBack.Name, writeBack.Kind, writeBack.Enabled));
        var rule = await check.ExportRules.SingleAsync();
        Assert.Equal((writeBack.Id, (long?)null, true), (rule.DestinationId, rule.TemplateId, rule.Enabled));

        // The seed went through the identity column, so the next destination does not collide with it.
        check.ExportDestinations.Add(new ExportDestination { Name = "Import share", Kind = DestinationKind.Folder, FolderRoot = "/tmp/x", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
        await check.SaveChangesAsync();
        Assert.Equal(2, await check.ExportDestinations.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_database_refuses_a_second_delivery_of_one_instance_to_one_destination(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var destination = await db.ExportDestinations.SingleAsync();
        ExportDelivery Delivery(int sequence) => new()
        {
            DestinationId = destination.Id, SopInstanceUid = "1.2.3.4", Sequence = sequence, SourcePath = "/x.dcm", RequestedBy = "test",
            CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow,
        };
        db.ExportDeliveries.Add(Delivery(0));
        await db.SaveChangesAsync();

        db.ExportDeliveries.Add(Delivery(0));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();

        db.ExportDeliveries.Add(Delivery(1));
        await db.SaveChangesAsync();
        Assert.Equal(2, await db.ExportDeliveries.CountAsync());
    }
}
