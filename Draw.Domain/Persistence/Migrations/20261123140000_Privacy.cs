using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>The persistent UID map (unique both ways) and patient pseudonyms (unique key hash and pseudonymous ID).</summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261123140000_Privacy")]
public sealed class Privacy : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "UidMappings",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).AutoIncrement(),
                Original = table.Column<string>(maxLength: 64, nullable: false),
                Pseudonym = table.Column<string>(maxLength: 64, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_UidMappings", x => x.Id));
        migrationBuilder.CreateIndex("IX_UidMappings_Original", "UidMappings", "Original", unique: true);
        migrationBuilder.CreateIndex("IX_UidMappings_Pseudonym", "UidMappings", "Pseudonym", unique: true);

        migrationBuilder.CreateTable(
            name: "PatientPseudonyms",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).AutoIncrement(),
                OriginalKeyHash = table.Column<string>(maxLength: 64, nullable: false),
                PseudonymId = table.Column<string>(maxLength: 64, nullable: false),
                PseudonymName = table.Column<string>(maxLength: 64, nullable: false),
                DateShiftDays = table.Column<int>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_PatientPseudonyms", x => x.Id));
        migrationBuilder.CreateIndex("IX_PatientPseudonyms_OriginalKeyHash", "PatientPseudonyms", "OriginalKeyHash", unique: true);
        migrationBuilder.CreateIndex("IX_PatientPseudonyms_PseudonymId", "PatientPseudonyms", "PseudonymId", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("PatientPseudonyms");
        migrationBuilder.DropTable("UidMappings");
    }
}
