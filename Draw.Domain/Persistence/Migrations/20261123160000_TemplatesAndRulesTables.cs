using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>Part of migration 20261123160000_TemplatesAndRules.</summary>
internal static class TemplatesAndRulesTables
{
    public static void CreateCatalogue(MigrationBuilder m)
    {
        m.CreateTable(
            name: "CatalogueBackends",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                RefreshedAt = t.Column<DateTime>(nullable: false),
                ModelCount = t.Column<int>(nullable: false),
                StructureCount = t.Column<int>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_CatalogueBackends", x => x.Id));
        m.CreateIndex("IX_CatalogueBackends_Name", "CatalogueBackends", "Name", unique: true);

        m.CreateTable(
            name: "CatalogueModels",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                BackendId = t.Column<long>(nullable: false),
                ModelId = t.Column<int>(nullable: false),
                Name = t.Column<string>(maxLength: 256, nullable: false),
                Config = t.Column<string>(maxLength: 256, nullable: true),
                TrainerName = t.Column<string>(maxLength: 256, nullable: true),
                Postprocess = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_CatalogueModels", x => x.Id);
                t.ForeignKey("FK_CatalogueModels_CatalogueBackends_BackendId", x => x.BackendId, "CatalogueBackends", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_CatalogueModels_BackendId_ModelId", "CatalogueModels", ["BackendId", "ModelId"], unique: true);

        m.CreateTable(
            name: "CatalogueStructures",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                CatalogueModelId = t.Column<long>(nullable: false),
                MapId = t.Column<int>(nullable: false),
                ServerId = t.Column<long>(nullable: true),
                Name = t.Column<string>(maxLength: 256, nullable: false),
                Category = t.Column<string>(nullable: true),
                AnatomicGroup = t.Column<string>(nullable: true),
                Description = t.Column<string>(nullable: true),
                Modality = t.Column<string>(nullable: true),
                MedianDice = t.Column<double>(nullable: true),
                Details = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_CatalogueStructures", x => x.Id);
                t.ForeignKey("FK_CatalogueStructures_CatalogueModels_CatalogueModelId", x => x.CatalogueModelId, "CatalogueModels", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_CatalogueStructures_CatalogueModelId_MapId", "CatalogueStructures", ["CatalogueModelId", "MapId"], unique: true);
    }

    public static void CreateTemplates(MigrationBuilder m)
    {
        m.CreateTable(
            name: "Templates",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Name = t.Column<string>(maxLength: 128, nullable: false),
                Description = t.Column<string>(nullable: true),
                Backend = t.Column<string>(maxLength: 64, nullable: false),
                YamlSha512 = t.Column<string>(maxLength: 128, nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                UpdatedBy = t.Column<string>(maxLength: 256, nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_Templates", x => x.Id));
        m.CreateIndex("IX_Templates_Name", "Templates", "Name", unique: true);

        m.CreateTable(
            name: "TemplateModels",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                TemplateId = t.Column<long>(nullable: false),
                ModelId = t.Column<int>(nullable: false),
                Name = t.Column<string>(maxLength: 256, nullable: false),
                Config = t.Column<string>(maxLength: 256, nullable: true),
                TrainerName = t.Column<string>(maxLength: 256, nullable: true),
                Postprocess = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_TemplateModels", x => x.Id);
                t.ForeignKey("FK_TemplateModels_Templates_TemplateId", x => x.TemplateId, "Templates", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_TemplateModels_TemplateId_ModelId", "TemplateModels", ["TemplateId", "ModelId"], unique: true);

        m.CreateTable(
            name: "TemplateStructures",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                TemplateModelId = t.Column<long>(nullable: false),
                MapId = t.Column<int>(nullable: false),
                Name = t.Column<string>(maxLength: 256, nullable: false),
                RoiLabel = t.Column<string>(maxLength: 64, nullable: false),
                Color = t.Column<string>(maxLength: 16, nullable: false),
                InterpretedType = t.Column<string>(maxLength: 32, nullable: false),
                MissingFromCatalogue = t.Column<bool>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_TemplateStructures", x => x.Id);
                t.ForeignKey("FK_TemplateStructures_TemplateModels_TemplateModelId", x => x.TemplateModelId, "TemplateModels", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_TemplateStructures_TemplateModelId_MapId", "TemplateStructures", ["TemplateModelId", "MapId"], unique: true);

        m.CreateTable(
            name: "AdditionalStructures",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                TemplateId = t.Column<long>(nullable: false),
                RoiLabel = t.Column<string>(maxLength: 64, nullable: false),
                Color = t.Column<string>(maxLength: 16, nullable: false),
                InterpretedType = t.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_AdditionalStructures", x => x.Id);
                t.ForeignKey("FK_AdditionalStructures_Templates_TemplateId", x => x.TemplateId, "Templates", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_AdditionalStructures_TemplateId", "AdditionalStructures", "TemplateId");
    }

    public static void CreateRules(MigrationBuilder m)
    {
        m.CreateTable(
            name: "RuleGroups",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Name = t.Column<string>(maxLength: 128, nullable: false),
                Description = t.Column<string>(nullable: true),
                TemplateId = t.Column<long>(nullable: false),
                Priority = t.Column<int>(nullable: true),
                Enabled = t.Column<bool>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                UpdatedBy = t.Column<string>(maxLength: 256, nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_RuleGroups", x => x.Id);
                t.ForeignKey("FK_RuleGroups_Templates_TemplateId", x => x.TemplateId, "Templates", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("IX_RuleGroups_Name", "RuleGroups", "Name", unique: true);
        m.CreateIndex("IX_RuleGroups_TemplateId", "RuleGroups", "TemplateId");

        m.CreateTable(
            name: "RuleSets",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                RuleGroupId = t.Column<long>(nullable: false),
                Order = t.Column<int>(nullable: false),
                Name = t.Column<string>(maxLength: 128, nullable: false),
                Description = t.Column<string>(nullable: true),
                Join = t.Column<string>(maxLength: 8, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_RuleSets", x => x.Id);
                t.ForeignKey("FK_RuleSets_RuleGroups_RuleGroupId", x => x.RuleGroupId, "RuleGroups", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_RuleSets_RuleGroupId", "RuleSets", "RuleGroupId");

        m.CreateTable(
            name: "Rules",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                RuleSetId = t.Column<long>(nullable: false),
                Order = t.Column<int>(nullable: false),
                TagPath = t.Column<string>(maxLength: 256, nullable: false),
                Operator = t.Column<string>(maxLength: 32, nullable: false),
                Value = t.Column<string>(nullable: false),
                Join = t.Column<string>(maxLength: 8, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Rules", x => x.Id);
                t.ForeignKey("FK_Rules_RuleSets_RuleSetId", x => x.RuleSetId, "RuleSets", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_Rules_RuleSetId", "Rules", "RuleSetId");

        m.CreateTable(
            name: "SeriesMatches",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                SeriesId = t.Column<long>(nullable: false),
                TemplateId = t.Column<long>(nullable: true),
                RuleGroupId = t.Column<long>(nullable: true),
                Outcome = t.Column<string>(maxLength: 24, nullable: false),
                Matches = t.Column<string>(nullable: false),
                DecidedBy = t.Column<string>(maxLength: 256, nullable: false),
                DecidedAt = t.Column<DateTime>(nullable: false),
                Reason = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_SeriesMatches", x => x.Id);
                t.ForeignKey("FK_SeriesMatches_Series_SeriesId", x => x.SeriesId, "Series", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_SeriesMatches_Templates_TemplateId", x => x.TemplateId, "Templates", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("IX_SeriesMatches_SeriesId", "SeriesMatches", "SeriesId", unique: true);
        m.CreateIndex("IX_SeriesMatches_TemplateId", "SeriesMatches", "TemplateId");
    }
}
