using Draw.Domain.Segmentation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class SegmentationJobConfiguration : IEntityTypeConfiguration<SegmentationJob>
{
    public void Configure(EntityTypeBuilder<SegmentationJob> builder)
    {
        builder.ToTable("SegmentationJobs");
        builder.Property(j => j.Backend).HasMaxLength(64);
        builder.Property(j => j.Step).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.StoppedAt).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.LeaseOwner).HasMaxLength(64);
        builder.Property(j => j.RequestedBy).HasMaxLength(256);
        builder.Ignore(j => j.IsActive);
        builder.HasIndex(j => j.SeriesId);
        builder.HasIndex(j => new { j.Step, j.NextAttemptAt });
    }
}
