using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>
/// The first schema: identity (ASP.NET Core Identity, schema version 1), the change feed, worker
/// instances and work commands. Column types come from each provider's mapping of the CLR type,
/// so one hand-written migration serves SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261123120000_Foundation")]
public sealed class Foundation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        IdentityTables.Create(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "Events",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).AutoIncrement(),
                Time = table.Column<DateTime>(nullable: false),
                Kind = table.Column<string>(maxLength: 64, nullable: false),
                SeriesId = table.Column<long>(nullable: true),
                Payload = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Events", x => x.Id));
        migrationBuilder.CreateIndex("IX_Events_SeriesId", "Events", "SeriesId");
        migrationBuilder.CreateIndex("IX_Events_Kind", "Events", "Kind");

        migrationBuilder.CreateTable(
            name: "WorkerInstances",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 64, nullable: false),
                Host = table.Column<string>(maxLength: 255, nullable: false),
                Version = table.Column<string>(maxLength: 64, nullable: false),
                ProcessId = table.Column<int>(nullable: false),
                StartedAt = table.Column<DateTime>(nullable: false),
                LastSeenAt = table.Column<DateTime>(nullable: false),
                StoppedAt = table.Column<DateTime>(nullable: true),
                Services = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_WorkerInstances", x => x.Id));

        migrationBuilder.CreateTable(
            name: "WorkCommands",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).AutoIncrement(),
                Kind = table.Column<string>(maxLength: 64, nullable: false),
                Payload = table.Column<string>(nullable: false),
                RequestedBy = table.Column<string>(maxLength: 256, nullable: true),
                RequestedAt = table.Column<DateTime>(nullable: false),
                ClaimedBy = table.Column<string>(maxLength: 64, nullable: true),
                LeaseUntil = table.Column<DateTime>(nullable: true),
                Attempts = table.Column<int>(nullable: false),
                CompletedAt = table.Column<DateTime>(nullable: true),
                Error = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_WorkCommands", x => x.Id));
        migrationBuilder.CreateIndex("IX_WorkCommands_CompletedAt", "WorkCommands", "CompletedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("WorkCommands");
        migrationBuilder.DropTable("WorkerInstances");
        migrationBuilder.DropTable("Events");
        IdentityTables.Drop(migrationBuilder);
    }
}
