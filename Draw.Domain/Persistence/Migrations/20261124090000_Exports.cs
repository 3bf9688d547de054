using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>
/// Export destinations (and their DICOM nodes), export rules, deliveries, the export ledger and the
/// harvest route; a column on SegmentationJobs and on WorkCommands. Seeds a "Write-back" destination
/// with a global rule, so an existing installation keeps writing results beside the images.
/// </summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261124090000_Exports")]
public sealed class Exports : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        ExportTables.CreateDestinations(migrationBuilder);
        ExportTables.CreateDeliveries(migrationBuilder);
        ExportTables.CreateHarvest(migrationBuilder);
        migrationBuilder.AddColumn<DateTime>("ExportsPlannedAt", "SegmentationJobs", nullable: true);
        migrationBuilder.AddColumn<string>("Result", "WorkCommands", nullable: true);

        // Quoted names and TRUE work on both SQLite and PostgreSQL; ids come from the identity columns.
        migrationBuilder.Sql(
            """
            INSERT INTO "ExportDestinations" ("Name", "Kind", "Enabled", "Description", "PathPattern", "FileNamePattern", "OnlyIntoExistingFolder", "MaxAttempts", "BackoffBaseSeconds", "BackoffMaxSeconds", "CreatedAt", "UpdatedAt", "UpdatedBy")
            VALUES ('Write-back', 'WriteBack', TRUE, 'RS_<PatientID>_DRAW_<timestamp>.dcm beside the series'' own images', '', 'RS_{PatientID}_DRAW_{Timestamp}.dcm', FALSE, 5, 30, 3600, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'migration');
            """);
        migrationBuilder.Sql(
            """
            INSERT INTO "ExportRules" ("DestinationId", "TemplateId", "Enabled", "CreatedAt", "CreatedBy")
            SELECT "Id", NULL, TRUE, CURRENT_TIMESTAMP, 'migration' FROM "ExportDestinations" WHERE "Name" = 'Write-back';
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropColumn("Result", "WorkCommands");
        migrationBuilder.DropColumn("ExportsPlannedAt", "SegmentationJobs");
        foreach (var table in new[] { "HarvestedFiles", "HarvestSourceDestinations", "HarvestSources", "ExportLedger", "ExportDeliveries", "ExportRules", "ExportDestinationNodes", "ExportDestinations" })
        {
            migrationBuilder.DropTable(table);
        }
    }
}
