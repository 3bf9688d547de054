using Draw.Domain.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class DatastoreConfiguration : IEntityTypeConfiguration<Datastore>
{
    public void Configure(EntityTypeBuilder<Datastore> builder)
    {
        builder.ToTable("Datastores");
        builder.Property(d => d.Name).HasMaxLength(128);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Cron).HasMaxLength(128);
        builder.Property(d => d.Modalities).HasMaxLength(128);
        builder.Property(d => d.LocalizerWords).HasMaxLength(512);
        builder.Property(d => d.LeaseOwner).HasMaxLength(64);
        builder.Ignore(d => d.ModalityList);
    }
}

internal sealed class DatastoreRunConfiguration : IEntityTypeConfiguration<DatastoreRun>
{
    public void Configure(EntityTypeBuilder<DatastoreRun> builder)
    {
        builder.ToTable("DatastoreRuns");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Worker).HasMaxLength(64);
        builder.HasIndex(r => r.DatastoreId);
    }
}

internal sealed class ScannedFileConfiguration : IEntityTypeConfiguration<ScannedFile>
{
    public void Configure(EntityTypeBuilder<ScannedFile> builder)
    {
        builder.ToTable("ScannedFiles");
        builder.Property(f => f.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(f => new { f.DatastoreId, f.Folder });
        builder.HasIndex(f => f.Path).IsUnique();
    }
}

internal sealed class CopiedFolderConfiguration : IEntityTypeConfiguration<CopiedFolder>
{
    public void Configure(EntityTypeBuilder<CopiedFolder> builder)
    {
        builder.ToTable("CopiedFolders");
        builder.HasIndex(f => new { f.DatastoreId, f.SourcePath }).IsUnique();
    }
}

internal sealed class UploadConfiguration : IEntityTypeConfiguration<Upload>
{
    public void Configure(EntityTypeBuilder<Upload> builder)
    {
        builder.ToTable("Uploads");
        builder.Property(u => u.FileName).HasMaxLength(255);
        builder.Property(u => u.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.LeaseOwner).HasMaxLength(64);
        builder.HasIndex(u => u.Status);
    }
}

internal sealed class FileOperationConfiguration : IEntityTypeConfiguration<FileOperation>
{
    public void Configure(EntityTypeBuilder<FileOperation> builder)
    {
        builder.ToTable("FileOperations");
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(o => o.SeriesId);
        builder.HasIndex(o => o.Time);
    }
}

internal sealed class ListenerAssociationConfiguration : IEntityTypeConfiguration<ListenerAssociation>
{
    public void Configure(EntityTypeBuilder<ListenerAssociation> builder)
    {
        builder.ToTable("ListenerAssociations");
        builder.Property(a => a.CallingAe).HasMaxLength(16);
        builder.Property(a => a.CalledAe).HasMaxLength(16);
        builder.Property(a => a.RemoteAddress).HasMaxLength(64);
    }
}
