using Draw.Domain.Export;
using Draw.Domain.Export.Harvest;
using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class ExportDestinationConfiguration : IEntityTypeConfiguration<ExportDestination>
{
    public void Configure(EntityTypeBuilder<ExportDestination> builder)
    {
        builder.ToTable("ExportDestinations");
        builder.Property(d => d.Name).HasMaxLength(128);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.PathPattern).HasMaxLength(512);
        builder.Property(d => d.FileNamePattern).HasMaxLength(512);
        builder.Property(d => d.UpdatedBy).HasMaxLength(256);
        builder.HasMany(d => d.Nodes).WithOne().HasForeignKey(n => n.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DestinationNodeConfiguration : IEntityTypeConfiguration<DestinationNode>
{
    public void Configure(EntityTypeBuilder<DestinationNode> builder)
    {
        builder.ToTable("ExportDestinationNodes");
        builder.Property(n => n.AeTitle).HasMaxLength(16);
        builder.Property(n => n.CallingAeTitle).HasMaxLength(16);
        builder.Property(n => n.Host).HasMaxLength(255);
        builder.HasIndex(n => new { n.DestinationId, n.Position });
    }
}

internal sealed class ExportRuleConfiguration : IEntityTypeConfiguration<ExportRule>
{
    public void Configure(EntityTypeBuilder<ExportRule> builder)
    {
        builder.ToTable("ExportRules");
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.HasOne(r => r.Destination).WithMany().HasForeignKey(r => r.DestinationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Template>().WithMany().HasForeignKey(r => r.TemplateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.DestinationId);
        builder.HasIndex(r => r.TemplateId);
    }
}

internal sealed class ExportDeliveryConfiguration : IEntityTypeConfiguration<ExportDelivery>
{
    public void Configure(EntityTypeBuilder<ExportDelivery> builder)
    {
        builder.ToTable("ExportDeliveries");
        builder.Property(d => d.SopInstanceUid).HasMaxLength(64);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LeaseOwner).HasMaxLength(64);
        builder.Property(d => d.RequestedBy).HasMaxLength(256);
        // Exactly once: a destination gets a SOP instance once per sequence (a new sequence = a person's re-export).
        builder.HasIndex(d => new { d.DestinationId, d.SopInstanceUid, d.Sequence }).IsUnique();
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasIndex(d => d.JobId);
    }
}

internal sealed class ExportLedgerConfiguration : IEntityTypeConfiguration<ExportLedgerEntry>
{
    public void Configure(EntityTypeBuilder<ExportLedgerEntry> builder)
    {
        builder.ToTable("ExportLedger");
        builder.Property(e => e.DestinationName).HasMaxLength(128);
        builder.Property(e => e.DestinationKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.SopInstanceUid).HasMaxLength(64);
        builder.Property(e => e.Result).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.RequestedBy).HasMaxLength(256);
        builder.HasIndex(e => e.DeliveryId).IsUnique();
        builder.HasIndex(e => new { e.DestinationId, e.SopInstanceUid, e.Sequence }).IsUnique();
        builder.HasIndex(e => e.ExportedAt);
        builder.HasIndex(e => e.PatientId);
    }
}

internal sealed class HarvestSourceConfiguration : IEntityTypeConfiguration<HarvestSource>
{
    public void Configure(EntityTypeBuilder<HarvestSource> builder)
    {
        builder.ToTable("HarvestSources");
        builder.Property(s => s.Name).HasMaxLength(128);
        builder.HasIndex(s => s.Name).IsUnique();
        builder.Property(s => s.LeaseOwner).HasMaxLength(64);
        builder.HasMany(s => s.Destinations).WithOne().HasForeignKey(d => d.HarvestSourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HarvestSourceDestinationConfiguration : IEntityTypeConfiguration<HarvestSourceDestination>
{
    public void Configure(EntityTypeBuilder<HarvestSourceDestination> builder)
    {
        builder.ToTable("HarvestSourceDestinations");
        builder.HasKey(d => new { d.HarvestSourceId, d.DestinationId });
        builder.HasOne<ExportDestination>().WithMany().HasForeignKey(d => d.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HarvestedFileConfiguration : IEntityTypeConfiguration<HarvestedFile>
{
    public void Configure(EntityTypeBuilder<HarvestedFile> builder)
    {
        builder.ToTable("HarvestedFiles");
        builder.Property(f => f.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.SopInstanceUid).HasMaxLength(64);
        builder.HasIndex(f => new { f.HarvestSourceId, f.Path }).IsUnique();
    }
}
