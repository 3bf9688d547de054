using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class EventRecordConfiguration : IEntityTypeConfiguration<EventRecord>
{
    public void Configure(EntityTypeBuilder<EventRecord> builder)
    {
        builder.ToTable("Events");
        builder.Property(e => e.Kind).HasMaxLength(64);
        builder.HasIndex(e => e.SeriesId);
        builder.HasIndex(e => e.Kind);
        builder.HasIndex(e => e.Time);
    }
}

internal sealed class WorkerInstanceConfiguration : IEntityTypeConfiguration<WorkerInstance>
{
    public void Configure(EntityTypeBuilder<WorkerInstance> builder)
    {
        builder.ToTable("WorkerInstances");
        builder.Property(w => w.Id).HasMaxLength(64);
        builder.Property(w => w.Host).HasMaxLength(255);
        builder.Property(w => w.Version).HasMaxLength(64);
    }
}

internal sealed class WorkCommandConfiguration : IEntityTypeConfiguration<WorkCommand>
{
    public void Configure(EntityTypeBuilder<WorkCommand> builder)
    {
        builder.ToTable("WorkCommands");
        builder.Property(c => c.Kind).HasMaxLength(64);
        builder.Property(c => c.RequestedBy).HasMaxLength(256);
        builder.Property(c => c.ClaimedBy).HasMaxLength(64);
        builder.HasIndex(c => c.CompletedAt);
    }
}
