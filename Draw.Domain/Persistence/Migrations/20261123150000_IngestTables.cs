using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>Part of migration 20261123150000_Index: what feeds the index.</summary>
internal static class IngestTables
{
    public static void Create(MigrationBuilder m)
    {
        m.CreateTable(
            name: "Datastores",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Name = t.Column<string>(maxLength: 128, nullable: false),
                Path = t.Column<string>(nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Enabled = t.Column<bool>(nullable: false),
                Cron = t.Column<string>(maxLength: 128, nullable: true),
                IntervalSeconds = t.Column<int>(nullable: false),
                QuietPeriodSeconds = t.Column<int>(nullable: false),
                PullWindowStart = t.Column<DateTime>(nullable: true),
                StudyDateFilter = t.Column<bool>(nullable: false),
                Modalities = t.Column<string>(maxLength: 128, nullable: false),
                ExcludeLocalizers = t.Column<bool>(nullable: false),
                LocalizerWords = t.Column<string>(maxLength: 512, nullable: false),
                Recursive = t.Column<bool>(nullable: false),
                CopyToWork = t.Column<bool>(nullable: false),
                LeaseOwner = t.Column<string>(maxLength: 64, nullable: true),
                LeaseUntil = t.Column<DateTime>(nullable: true),
                Checkpoint = t.Column<string>(nullable: true),
                CheckpointRunId = t.Column<long>(nullable: true),
                LastRunAt = t.Column<DateTime>(nullable: true),
                LastRunResult = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_Datastores", x => x.Id));
        m.CreateIndex("IX_Datastores_Name", "Datastores", "Name", unique: true);

        m.CreateTable(
            name: "DatastoreRuns",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DatastoreId = t.Column<long>(nullable: false),
                Worker = t.Column<string>(maxLength: 64, nullable: false),
                StartedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                FilesSeen = t.Column<int>(nullable: false),
                FilesIndexed = t.Column<int>(nullable: false),
                FilesAlreadyKnown = t.Column<int>(nullable: false),
                FilesTooRecent = t.Column<int>(nullable: false),
                FilesBeforeWindow = t.Column<int>(nullable: false),
                NonDicom = t.Column<int>(nullable: false),
                Corrupt = t.Column<int>(nullable: false),
                OtherModality = t.Column<int>(nullable: false),
                Localizers = t.Column<int>(nullable: false),
                Duplicates = t.Column<int>(nullable: false),
                Conflicts = t.Column<int>(nullable: false),
                SeriesTouched = t.Column<int>(nullable: false),
                Error = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_DatastoreRuns", x => x.Id));
        m.CreateIndex("IX_DatastoreRuns_DatastoreId", "DatastoreRuns", "DatastoreId");

        m.CreateTable(
            name: "ScannedFiles",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DatastoreId = t.Column<long>(nullable: false),
                Path = t.Column<string>(nullable: false),
                Folder = t.Column<string>(nullable: false),
                Size = t.Column<long>(nullable: false),
                ModifiedAt = t.Column<DateTime>(nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: false),
                Reason = t.Column<string>(nullable: true),
                RunId = t.Column<long>(nullable: false),
                DecidedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_ScannedFiles", x => x.Id));
        m.CreateIndex("IX_ScannedFiles_DatastoreId_Folder", "ScannedFiles", ["DatastoreId", "Folder"]);
        m.CreateIndex("IX_ScannedFiles_Path", "ScannedFiles", "Path", unique: true);

        m.CreateTable(
            name: "CopiedFolders",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                DatastoreId = t.Column<long>(nullable: false),
                SourcePath = t.Column<string>(nullable: false),
                SizeBytes = t.Column<long>(nullable: false),
                ModifiedAt = t.Column<DateTime>(nullable: false),
                FileCount = t.Column<int>(nullable: false),
                RunId = t.Column<long>(nullable: false),
                TargetPath = t.Column<string>(nullable: true),
                CopiedAt = t.Column<DateTime>(nullable: true),
                RecordedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_CopiedFolders", x => x.Id));
        m.CreateIndex("IX_CopiedFolders_DatastoreId_SourcePath", "CopiedFolders", ["DatastoreId", "SourcePath"], unique: true);

        m.CreateTable(
            name: "Uploads",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                FileName = t.Column<string>(maxLength: 255, nullable: false),
                StoredPath = t.Column<string>(nullable: false),
                SizeBytes = t.Column<long>(nullable: false),
                Sha256 = t.Column<string>(nullable: true),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                Error = t.Column<string>(nullable: true),
                UploadedBy = t.Column<string>(nullable: true),
                UploadedAt = t.Column<DateTime>(nullable: false),
                ExtractedAt = t.Column<DateTime>(nullable: true),
                TargetFolder = t.Column<string>(nullable: true),
                FilesExtracted = t.Column<int>(nullable: false),
                LeaseOwner = t.Column<string>(maxLength: 64, nullable: true),
                LeaseUntil = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_Uploads", x => x.Id));
        m.CreateIndex("IX_Uploads_Status", "Uploads", "Status");

        m.CreateTable(
            name: "FileOperations",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                Time = t.Column<DateTime>(nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Source = t.Column<string>(nullable: false),
                Target = t.Column<string>(nullable: true),
                Result = t.Column<string>(nullable: false),
                SeriesId = t.Column<long>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_FileOperations", x => x.Id));
        m.CreateIndex("IX_FileOperations_SeriesId", "FileOperations", "SeriesId");
        m.CreateIndex("IX_FileOperations_Time", "FileOperations", "Time");

        m.CreateTable(
            name: "ListenerAssociations",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                CallingAe = t.Column<string>(maxLength: 16, nullable: false),
                CalledAe = t.Column<string>(maxLength: 16, nullable: false),
                RemoteAddress = t.Column<string>(maxLength: 64, nullable: false),
                StartedAt = t.Column<DateTime>(nullable: false),
                EndedAt = t.Column<DateTime>(nullable: true),
                InstancesStored = t.Column<int>(nullable: false),
                InstancesFailed = t.Column<int>(nullable: false),
                Bytes = t.Column<long>(nullable: false),
                Result = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_ListenerAssociations", x => x.Id));
    }
}
