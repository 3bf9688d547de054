using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>Part of migration 20261124090000_Exports: the tables.</summary>
internal static class ExportTables
{
    public static void CreateDestinations(MigrationBuilder m)
    {
        m.CreateTable(
            name: "ExportDestinations",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Name = t.Column<string>(maxLength: 128, nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Enabled = t.Column<bool>(nullable: false),
                Description = t.Column<string>(nullable: true),
                FolderRoot = t.Column<string>(nullable: true),
                PathPattern = t.Column<string>(maxLength: 512, nullable: false),
                FileNamePattern = t.Column<string>(maxLength: 512, nullable: false),
                OnlyIntoExistingFolder = t.Column<bool>(nullable: false),
                StowUrl = t.Column<string>(nullable: true),
                AuthorizationHeader = t.Column<string>(nullable: true),
                MaxAttempts = t.Column<int>(nullable: false),
                BackoffBaseSeconds = t.Column<int>(nullable: false),
                BackoffMaxSeconds = t.Column<int>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                UpdatedBy = t.Column<string>(maxLength: 256, nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_ExportDestinations", x => x.Id));
        m.CreateIndex("IX_ExportDestinations_Name", "ExportDestinations", "Name", unique: true);

        m.CreateTable(
            name: "ExportDestinationNodes",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DestinationId = t.Column<long>(nullable: false),
                Position = t.Column<int>(nullable: false),
                AeTitle = t.Column<string>(maxLength: 16, nullable: false),
                Host = t.Column<string>(maxLength: 255, nullable: false),
                Port = t.Column<int>(nullable: false),
                CallingAeTitle = t.Column<string>(maxLength: 16, nullable: false),
                UseTls = t.Column<bool>(nullable: false),
                TimeoutSeconds = t.Column<int>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_ExportDestinationNodes", x => x.Id);
                t.ForeignKey("FK_ExportDestinationNodes_ExportDestinations_DestinationId", x => x.DestinationId, "ExportDestinations", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_ExportDestinationNodes_DestinationId_Position", "ExportDestinationNodes", ["DestinationId", "Position"]);

        m.CreateTable(
            name: "ExportRules",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DestinationId = t.Column<long>(nullable: false),
                TemplateId = t.Column<long>(nullable: true),
                Enabled = t.Column<bool>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                CreatedBy = t.Column<string>(maxLength: 256, nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_ExportRules", x => x.Id);
                t.ForeignKey("FK_ExportRules_ExportDestinations_DestinationId", x => x.DestinationId, "ExportDestinations", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_ExportRules_Templates_TemplateId", x => x.TemplateId, "Templates", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_ExportRules_DestinationId", "ExportRules", "DestinationId");
        m.CreateIndex("IX_ExportRules_TemplateId", "ExportRules", "TemplateId");
    }

    public static void CreateDeliveries(MigrationBuilder m)
    {
        m.CreateTable(
            name: "ExportDeliveries",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DestinationId = t.Column<long>(nullable: false),
                SopInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                Sequence = t.Column<int>(nullable: false),
                SourcePath = t.Column<string>(nullable: false),
                SeriesId = t.Column<long>(nullable: true),
                JobId = t.Column<long>(nullable: true),
                HarvestSourceId = t.Column<long>(nullable: true),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Attempts = t.Column<int>(nullable: false),
                NextAttemptAt = t.Column<DateTime>(nullable: false),
                LeaseOwner = t.Column<string>(maxLength: 64, nullable: true),
                LeaseUntil = t.Column<DateTime>(nullable: true),
                LastError = t.Column<string>(nullable: true),
                TargetPath = t.Column<string>(nullable: true),
                DeliveredTo = t.Column<string>(nullable: true),
                RequestedBy = t.Column<string>(maxLength: 256, nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_ExportDeliveries", x => x.Id));
        m.CreateIndex("IX_ExportDeliveries_DestinationId_SopInstanceUid_Sequence", "ExportDeliveries", ["DestinationId", "SopInstanceUid", "Sequence"], unique: true);
        m.CreateIndex("IX_ExportDeliveries_State_NextAttemptAt", "ExportDeliveries", ["State", "NextAttemptAt"]);
        m.CreateIndex("IX_ExportDeliveries_JobId", "ExportDeliveries", "JobId");

        m.CreateTable(
            name: "ExportLedger",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DeliveryId = t.Column<long>(nullable: false),
                DestinationId = t.Column<long>(nullable: false),
                DestinationName = t.Column<string>(maxLength: 128, nullable: false),
                DestinationKind = t.Column<string>(maxLength: 16, nullable: false),
                SopInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                Sequence = t.Column<int>(nullable: false),
                PatientId = t.Column<string>(nullable: true),
                PatientName = t.Column<string>(nullable: true),
                StudyDate = t.Column<string>(nullable: true),
                StudyTime = t.Column<string>(nullable: true),
                StudyDateTime = t.Column<DateTime>(nullable: true),
                Modality = t.Column<string>(nullable: true),
                SourcePath = t.Column<string>(nullable: false),
                FileName = t.Column<string>(nullable: true),
                Target = t.Column<string>(nullable: true),
                ExportedAt = t.Column<DateTime>(nullable: false),
                Result = t.Column<string>(maxLength: 16, nullable: false),
                Error = t.Column<string>(nullable: true),
                Attempts = t.Column<int>(nullable: false),
                SeriesId = t.Column<long>(nullable: true),
                JobId = t.Column<long>(nullable: true),
                HarvestSourceId = t.Column<long>(nullable: true),
                RequestedBy = t.Column<string>(maxLength: 256, nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_ExportLedger", x => x.Id));
        m.CreateIndex("IX_ExportLedger_DeliveryId", "ExportLedger", "DeliveryId", unique: true);
        m.CreateIndex("IX_ExportLedger_DestinationId_SopInstanceUid_Sequence", "ExportLedger", ["DestinationId", "SopInstanceUid", "Sequence"], unique: true);
        m.CreateIndex("IX_ExportLedger_ExportedAt", "ExportLedger", "ExportedAt");
        m.CreateIndex("IX_ExportLedger_PatientId", "ExportLedger", "PatientId");
    }

    public static void CreateHarvest(MigrationBuilder m)
    {
        m.CreateTable(
            name: "HarvestSources",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Name = t.Column<string>(maxLength: 128, nullable: false),
                Path = t.Column<string>(nullable: false),
                Enabled = t.Column<bool>(nullable: false),
                IntervalSeconds = t.Column<int>(nullable: false),
                QuietPeriodSeconds = t.Column<int>(nullable: false),
                LeaseOwner = t.Column<string>(maxLength: 64, nullable: true),
                LeaseUntil = t.Column<DateTime>(nullable: true),
                LastScanAt = t.Column<DateTime>(nullable: true),
                LastScanResult = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_HarvestSources", x => x.Id));
        m.CreateIndex("IX_HarvestSources_Name", "HarvestSources", "Name", unique: true);

        m.CreateTable(
            name: "HarvestSourceDestinations",
            columns: t => new
            {
                HarvestSourceId = t.Column<long>(nullable: false),
                DestinationId = t.Column<long>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_HarvestSourceDestinations", x => new { x.HarvestSourceId, x.DestinationId });
                t.ForeignKey("FK_HarvestSourceDestinations_HarvestSources_HarvestSourceId", x => x.HarvestSourceId, "HarvestSources", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_HarvestSourceDestinations_ExportDestinations_DestinationId", x => x.DestinationId, "ExportDestinations", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_HarvestSourceDestinations_DestinationId", "HarvestSourceDestinations", "DestinationId");

        m.CreateTable(
            name: "HarvestedFiles",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                HarvestSourceId = t.Column<long>(nullable: false),
                Path = t.Column<string>(nullable: false),
                Size = t.Column<long>(nullable: false),
                ModifiedAt = t.Column<DateTime>(nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: false),
                Reason = t.Column<string>(nullable: true),
                SopInstanceUid = t.Column<string>(maxLength: 64, nullable: true),
                DecidedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_HarvestedFiles", x => x.Id));
        m.CreateIndex("IX_HarvestedFiles_HarvestSourceId_Path", "HarvestedFiles", ["HarvestSourceId", "Path"], unique: true);
    }
}
