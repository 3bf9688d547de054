using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>
/// The backend catalogue cache (CatalogueBackends, CatalogueModels, CatalogueStructures), templates
/// (Templates, TemplateModels, TemplateStructures, AdditionalStructures), rules (RuleGroups,
/// RuleSets, Rules) and each series' template decision (SeriesMatches). New tables only.
/// </summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261123160000_TemplatesAndRules")]
public sealed class TemplatesAndRules : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        TemplatesAndRulesTables.CreateCatalogue(migrationBuilder);
        TemplatesAndRulesTables.CreateTemplates(migrationBuilder);
        TemplatesAndRulesTables.CreateRules(migrationBuilder);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var table in new[] { "SeriesMatches", "Rules", "RuleSets", "RuleGroups", "AdditionalStructures", "TemplateStructures", "TemplateModels", "Templates", "CatalogueStructures", "CatalogueModels", "CatalogueBackends" })
        {
            migrationBuilder.DropTable(table);
        }
    }
}
