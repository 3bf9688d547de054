using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class CatalogueBackendConfiguration : IEntityTypeConfiguration<CatalogueBackend>
{
    public void Configure(EntityTypeBuilder<CatalogueBackend> builder)
    {
        builder.ToTable("CatalogueBackends");
        builder.Property(b => b.Name).HasMaxLength(64);
        builder.HasIndex(b => b.Name).IsUnique();
    }
}

internal sealed class CatalogueModelConfiguration : IEntityTypeConfiguration<CatalogueModel>
{
    public void Configure(EntityTypeBuilder<CatalogueModel> builder)
    {
        builder.ToTable("CatalogueModels");
        builder.Property(m => m.Name).HasMaxLength(256);
        builder.Property(m => m.Config).HasMaxLength(256);
        builder.Property(m => m.TrainerName).HasMaxLength(256);
        builder.HasIndex(m => new { m.BackendId, m.ModelId }).IsUnique();
        builder.HasOne(m => m.Backend).WithMany(b => b.Models).HasForeignKey(m => m.BackendId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CatalogueStructureConfiguration : IEntityTypeConfiguration<CatalogueStructure>
{
    public void Configure(EntityTypeBuilder<CatalogueStructure> builder)
    {
        builder.ToTable("CatalogueStructures");
        builder.Property(s => s.Name).HasMaxLength(256);
        builder.HasIndex(s => new { s.CatalogueModelId, s.MapId }).IsUnique();
        builder.HasOne(s => s.Model).WithMany(m => m.Structures).HasForeignKey(s => s.CatalogueModelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TemplateConfiguration : IEntityTypeConfiguration<Template>
{
    public void Configure(EntityTypeBuilder<Template> builder)
    {
        builder.ToTable("Templates");
        builder.Property(t => t.Name).HasMaxLength(128);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.Property(t => t.Backend).HasMaxLength(64);
        builder.Property(t => t.YamlSha512).HasMaxLength(128);
        builder.Property(t => t.UpdatedBy).HasMaxLength(256);
        builder.Ignore(t => t.Structures);
    }
}

internal sealed class TemplateModelConfiguration : IEntityTypeConfiguration<TemplateModel>
{
    public void Configure(EntityTypeBuilder<TemplateModel> builder)
    {
        builder.ToTable("TemplateModels");
        builder.Property(m => m.Name).HasMaxLength(256);
        builder.Property(m => m.Config).HasMaxLength(256);
        builder.Property(m => m.TrainerName).HasMaxLength(256);
        builder.HasIndex(m => new { m.TemplateId, m.ModelId }).IsUnique();
        builder.HasOne(m => m.Template).WithMany(t => t.Models).HasForeignKey(m => m.TemplateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TemplateStructureConfiguration : IEntityTypeConfiguration<TemplateStructure>
{
    public void Configure(EntityTypeBuilder<TemplateStructure> builder)
    {
        builder.ToTable("TemplateStructures");
        builder.Property(s => s.Name).HasMaxLength(256);
        builder.Property(s => s.RoiLabel).HasMaxLength(64);
        builder.Property(s => s.Color).HasMaxLength(16);
        builder.Property(s => s.InterpretedType).HasMaxLength(32);
        builder.HasIndex(s => new { s.TemplateModelId, s.MapId }).IsUnique();
        builder.HasOne(s => s.Model).WithMany(m => m.Structures).HasForeignKey(s => s.TemplateModelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AdditionalStructureConfiguration : IEntityTypeConfiguration<AdditionalStructure>
{
    public void Configure(EntityTypeBuilder<AdditionalStructure> builder)
    {
        builder.ToTable("AdditionalStructures");
        builder.Property(s => s.RoiLabel).HasMaxLength(64);
        builder.Property(s => s.Color).HasMaxLength(16);
        builder.Property(s => s.InterpretedType).HasMaxLength(32);
        builder.HasIndex(s => s.TemplateId);
        builder.HasOne<Template>().WithMany(t => t.AdditionalStructures).HasForeignKey(s => s.TemplateId).OnDelete(DeleteBehavior.Cascade);
    }
}
