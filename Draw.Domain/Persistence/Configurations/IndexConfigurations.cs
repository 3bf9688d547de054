using Draw.Domain.Index;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> builder)
    {
        builder.ToTable("Patients");
        builder.Property(p => p.PatientId).HasMaxLength(64);
        builder.HasIndex(p => p.PatientId).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(324);
        builder.Property(p => p.BirthDate).HasMaxLength(8);
        builder.Property(p => p.Sex).HasMaxLength(16);
    }
}

internal sealed class StudyConfiguration : IEntityTypeConfiguration<Study>
{
    public void Configure(EntityTypeBuilder<Study> builder)
    {
        builder.ToTable("Studies");
        builder.Property(s => s.StudyInstanceUid).HasMaxLength(64);
        builder.HasIndex(s => s.StudyInstanceUid).IsUnique();
        builder.HasIndex(s => s.StudyDate);
        builder.HasOne(s => s.Patient).WithMany(p => p.Studies).HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SeriesConfiguration : IEntityTypeConfiguration<Series>
{
    public void Configure(EntityTypeBuilder<Series> builder)
    {
        builder.ToTable("Series");
        builder.Property(s => s.SeriesInstanceUid).HasMaxLength(64);
        builder.HasIndex(s => s.SeriesInstanceUid).IsUnique();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(40);
        builder.Property(s => s.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Modality).HasMaxLength(16);
        builder.HasIndex(s => s.Status);
        builder.HasIndex(s => s.LastArrival);
        // The series page: its default order (latest change first) and that order within a status or modality.
        builder.HasIndex(s => new { s.StatusChangedAt, s.Id });
        builder.HasIndex(s => new { s.Status, s.StatusChangedAt });
        builder.HasIndex(s => new { s.Modality, s.StatusChangedAt });
        builder.HasOne(s => s.Study).WithMany(s => s.Series).HasForeignKey(s => s.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InstanceConfiguration : IEntityTypeConfiguration<Instance>
{
    public void Configure(EntityTypeBuilder<Instance> builder)
    {
        builder.ToTable("Instances");
        builder.Property(i => i.SopInstanceUid).HasMaxLength(64);
        builder.HasIndex(i => i.SopInstanceUid).IsUnique();
        builder.HasIndex(i => i.Folder);
        builder.HasOne(i => i.Series).WithMany(s => s.Instances).HasForeignKey(i => i.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InstanceConflictConfiguration : IEntityTypeConfiguration<InstanceConflict>
{
    public void Configure(EntityTypeBuilder<InstanceConflict> builder)
    {
        builder.ToTable("InstanceConflicts");
        builder.HasIndex(c => c.SeriesId);
    }
}
