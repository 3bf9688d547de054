using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draw.Domain.Persistence.Migrations;

/// <summary>The pipeline's durable jobs, one per series trip through a backend.</summary>
[DbContext(typeof(DrawDbContext))]
[Migration("20261123180000_Pipeline")]
public sealed class Pipeline : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "SegmentationJobs",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                SeriesId = t.Column<long>(nullable: false),
                TemplateId = t.Column<long>(nullable: false),
                Backend = t.Column<string>(maxLength: 64, nullable: false),
                Step = t.Column<string>(maxLength: 16, nullable: false),
                StoppedAt = t.Column<string>(maxLength: 16, nullable: true),
                Attempts = t.Column<int>(nullable: false),
                NextAttemptAt = t.Column<DateTime>(nullable: false),
                LeaseOwner = t.Column<string>(maxLength: 64, nullable: true),
                LeaseUntil = t.Column<DateTime>(nullable: true),
                LastError = t.Column<string>(nullable: true),
                RequestedBy = t.Column<string>(maxLength: 256, nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
                InstanceCount = t.Column<int>(nullable: false),
                PackagePath = t.Column<string>(nullable: true),
                PackageSha256 = t.Column<string>(nullable: true),
                PseudonymousSeriesUid = t.Column<string>(nullable: true),
                TaskId = t.Column<string>(nullable: true),
                UploadStartedAt = t.Column<DateTime>(nullable: true),
                SubmittedAt = t.Column<DateTime>(nullable: true),
                ServerStatus = t.Column<string>(nullable: true),
                LastPolledAt = t.Column<DateTime>(nullable: true),
                DownloadPath = t.Column<string>(nullable: true),
                DownloadSha256 = t.Column<string>(nullable: true),
                Confirmed = t.Column<bool>(nullable: false),
                ResultPath = t.Column<string>(nullable: true),
                ResultSopInstanceUid = t.Column<string>(nullable: true),
                ExportPath = t.Column<string>(nullable: true),  // unused since exports moved to ExportDeliveries (20261124090000_Exports); kept for existing rows
            },
            constraints: t => t.PrimaryKey("PK_SegmentationJobs", x => x.Id));
        migrationBuilder.CreateIndex("IX_SegmentationJobs_SeriesId", "SegmentationJobs", "SeriesId");
        migrationBuilder.CreateIndex("IX_SegmentationJobs_Step_NextAttemptAt", "SegmentationJobs", ["Step", "NextAttemptAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("SegmentationJobs");
    }
}
