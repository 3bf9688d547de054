using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>The series index (patients, studies, series, instances, conflicts) and ingest (datastores, runs, scanned files, copied folders, uploads, the file-operations log, listener associations).</summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261123150000_Index")]
public sealed class SeriesIndexAndIngest : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        IndexTables.Create(migrationBuilder);
        IngestTables.Create(migrationBuilder);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var table in new[] { "ListenerAssociations", "FileOperations", "Uploads", "CopiedFolders", "ScannedFiles", "DatastoreRuns", "Datastores", "InstanceConflicts", "Instances", "Series", "Studies", "Patients" })
        {
            migrationBuilder.DropTable(table);
        }
    }
}
