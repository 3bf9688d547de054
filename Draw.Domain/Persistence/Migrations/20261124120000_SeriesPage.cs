using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>
/// Indexes for the series page: its default order (latest change first), that order within a status
/// or a modality filter, and the study-date range filter. Indexes only: no data changes.
/// </summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261124120000_SeriesPage")]
public sealed class SeriesPage : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.CreateIndex("IX_Series_StatusChangedAt_Id", "Series", ["StatusChangedAt", "Id"]);
        migrationBuilder.CreateIndex("IX_Series_Status_StatusChangedAt", "Series", ["Status", "StatusChangedAt"]);
        migrationBuilder.CreateIndex("IX_Series_Modality_StatusChangedAt", "Series", ["Modality", "StatusChangedAt"]);
        migrationBuilder.CreateIndex("IX_Studies_StudyDate", "Studies", "StudyDate");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex("IX_Studies_StudyDate", "Studies");
        migrationBuilder.DropIndex("IX_Series_Modality_StatusChangedAt", "Series");
        migrationBuilder.DropIndex("IX_Series_Status_StatusChangedAt", "Series");
        migrationBuilder.DropIndex("IX_Series_StatusChangedAt_Id", "Series");
    }
}
