using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>
/// The live board and the schedules: what a worker reports beside its heartbeat (data root space,
/// backend contacts, effective configuration), a command's result, a datastore's paused schedule,
/// and an index on event time for the throughput chart.
/// </summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261124100000_BoardAndSchedules")]
public sealed class BoardAndSchedules : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<string>("DataRootPath", "WorkerInstances", nullable: true);
        migrationBuilder.AddColumn<long>("DataRootFreeBytes", "WorkerInstances", nullable: true);
        migrationBuilder.AddColumn<long>("DataRootTotalBytes", "WorkerInstances", nullable: true);
        migrationBuilder.AddColumn<string>("Backends", "WorkerInstances", nullable: false, defaultValue: "[]");
        migrationBuilder.AddColumn<string>("Configuration", "WorkerInstances", nullable: false, defaultValue: "[]");
        // WorkCommands.Result comes with 20261124090000_Exports.
        migrationBuilder.AddColumn<bool>("Paused", "Datastores", nullable: false, defaultValue: false);
        migrationBuilder.CreateIndex("IX_Events_Time", "Events", "Time");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex("IX_Events_Time", "Events");
        migrationBuilder.DropColumn("Paused", "Datastores");
        foreach (var column in new[] { "Configuration", "Backends", "DataRootTotalBytes", "DataRootFreeBytes", "DataRootPath" })
        {
            migrationBuilder.DropColumn(column, "WorkerInstances");
        }
    }
}
