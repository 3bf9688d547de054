using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>Part of migration 20261123150000_Index: the series index.</summary>
internal static class IndexTables
{
    public static void Create(MigrationBuilder m)
    {
        m.CreateTable(
            name: "Patients",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                PatientId = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 324, nullable: true),
                BirthDate = t.Column<string>(maxLength: 8, nullable: true),
                Sex = t.Column<string>(maxLength: 16, nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_Patients", x => x.Id));
        m.CreateIndex("IX_Patients_PatientId", "Patients", "PatientId", unique: true);

        m.CreateTable(
            name: "Studies",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                PatientId = t.Column<long>(nullable: false),
                StudyInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                StudyDate = t.Column<string>(nullable: true),
                StudyTime = t.Column<string>(nullable: true),
                StudyId = t.Column<string>(nullable: true),
                AccessionNumber = t.Column<string>(nullable: true),
                Description = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Studies", x => x.Id);
                t.ForeignKey("FK_Studies_Patients_PatientId", x => x.PatientId, "Patients", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_Studies_StudyInstanceUid", "Studies", "StudyInstanceUid", unique: true);
        m.CreateIndex("IX_Studies_PatientId", "Studies", "PatientId");

        m.CreateTable(
            name: "Series",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                StudyId = t.Column<long>(nullable: false),
                SeriesInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                Modality = t.Column<string>(maxLength: 16, nullable: true),
                Description = t.Column<string>(nullable: true),
                ProtocolName = t.Column<string>(nullable: true),
                BodyPart = t.Column<string>(nullable: true),
                SeriesDate = t.Column<string>(nullable: true),
                SeriesNumber = t.Column<string>(nullable: true),
                FrameOfReferenceUid = t.Column<string>(nullable: true),
                InstanceCount = t.Column<int>(nullable: false),
                FirstArrival = t.Column<DateTime>(nullable: false),
                LastArrival = t.Column<DateTime>(nullable: false),
                Source = t.Column<string>(maxLength: 16, nullable: false),
                SourceId = t.Column<long>(nullable: true),
                RootPath = t.Column<string>(nullable: true),
                QuietPeriodSeconds = t.Column<int>(nullable: false),
                Status = t.Column<string>(maxLength: 40, nullable: false),
                StatusChangedAt = t.Column<DateTime>(nullable: false),
                StableAt = t.Column<DateTime>(nullable: true),
                LateInstanceCount = t.Column<int>(nullable: false),
                ConflictCount = t.Column<int>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Series", x => x.Id);
                t.ForeignKey("FK_Series_Studies_StudyId", x => x.StudyId, "Studies", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_Series_SeriesInstanceUid", "Series", "SeriesInstanceUid", unique: true);
        m.CreateIndex("IX_Series_StudyId", "Series", "StudyId");
        m.CreateIndex("IX_Series_Status", "Series", "Status");
        m.CreateIndex("IX_Series_LastArrival", "Series", "LastArrival");

        m.CreateTable(
            name: "Instances",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                SeriesId = t.Column<long>(nullable: false),
                SopInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                SopClassUid = t.Column<string>(nullable: true),
                InstanceNumber = t.Column<int>(nullable: true),
                Path = t.Column<string>(nullable: false),
                Folder = t.Column<string>(nullable: false),
                FileSize = t.Column<long>(nullable: false),
                ArrivedAt = t.Column<DateTime>(nullable: false),
                Late = t.Column<bool>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Instances", x => x.Id);
                t.ForeignKey("FK_Instances_Series_SeriesId", x => x.SeriesId, "Series", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_Instances_SopInstanceUid", "Instances", "SopInstanceUid", unique: true);
        m.CreateIndex("IX_Instances_SeriesId", "Instances", "SeriesId");
        m.CreateIndex("IX_Instances_Folder", "Instances", "Folder");

        m.CreateTable(
            name: "InstanceConflicts",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                SeriesId = t.Column<long>(nullable: false),
                SopInstanceUid = t.Column<string>(nullable: false),
                IndexedPath = t.Column<string>(nullable: false),
                OtherPath = t.Column<string>(nullable: false),
                DetectedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_InstanceConflicts", x => x.Id));
        m.CreateIndex("IX_InstanceConflicts_SeriesId", "InstanceConflicts", "SeriesId");
    }
}
