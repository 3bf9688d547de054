using Draw.Domain.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class UidMappingConfiguration : IEntityTypeConfiguration<UidMapping>
{
    public void Configure(EntityTypeBuilder<UidMapping> builder)
    {
        builder.ToTable("UidMappings");
        builder.Property(m => m.Original).HasMaxLength(64);
        builder.Property(m => m.Pseudonym).HasMaxLength(64);
        builder.HasIndex(m => m.Original).IsUnique();
        builder.HasIndex(m => m.Pseudonym).IsUnique();
    }
}

internal sealed class PatientPseudonymConfiguration : IEntityTypeConfiguration<PatientPseudonymRecord>
{
    public void Configure(EntityTypeBuilder<PatientPseudonymRecord> builder)
    {
        builder.ToTable("PatientPseudonyms");
        builder.Property(p => p.OriginalKeyHash).HasMaxLength(64);
        builder.Property(p => p.PseudonymId).HasMaxLength(64);
        builder.Property(p => p.PseudonymName).HasMaxLength(64);
        builder.HasIndex(p => p.OriginalKeyHash).IsUnique();
        builder.HasIndex(p => p.PseudonymId).IsUnique();
    }
}
