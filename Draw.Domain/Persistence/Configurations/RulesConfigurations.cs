using Draw.Domain.Index;
using Draw.Domain.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class RuleGroupConfiguration : IEntityTypeConfiguration<RuleGroup>
{
    public void Configure(EntityTypeBuilder<RuleGroup> builder)
    {
        builder.ToTable("RuleGroups");
        builder.Property(g => g.Name).HasMaxLength(128);
        builder.HasIndex(g => g.Name).IsUnique();
        builder.Property(g => g.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(g => g.TemplateId);
        builder.HasOne(g => g.Template).WithMany().HasForeignKey(g => g.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RuleSetConfiguration : IEntityTypeConfiguration<RuleSet>
{
    public void Configure(EntityTypeBuilder<RuleSet> builder)
    {
        builder.ToTable("RuleSets");
        builder.Property(s => s.Name).HasMaxLength(128);
        builder.Property(s => s.Join).HasConversion<string>().HasMaxLength(8);
        builder.HasIndex(s => s.RuleGroupId);
        builder.HasOne<RuleGroup>().WithMany(g => g.RuleSets).HasForeignKey(s => s.RuleGroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RuleConfiguration : IEntityTypeConfiguration<Rule>
{
    public void Configure(EntityTypeBuilder<Rule> builder)
    {
        builder.ToTable("Rules");
        builder.Property(r => r.TagPath).HasMaxLength(256);
        builder.Property(r => r.Operator).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Join).HasConversion<string>().HasMaxLength(8);
        builder.HasIndex(r => r.RuleSetId);
        builder.HasOne<RuleSet>().WithMany(s => s.Rules).HasForeignKey(r => r.RuleSetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SeriesMatchConfiguration : IEntityTypeConfiguration<SeriesMatch>
{
    public void Configure(EntityTypeBuilder<SeriesMatch> builder)
    {
        builder.ToTable("SeriesMatches");
        builder.HasIndex(m => m.SeriesId).IsUnique();
        builder.HasIndex(m => m.TemplateId);
        builder.Property(m => m.Outcome).HasConversion<string>().HasMaxLength(24);
        builder.Property(m => m.DecidedBy).HasMaxLength(256);
        builder.HasOne<Series>().WithMany().HasForeignKey(m => m.SeriesId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Template).WithMany().HasForeignKey(m => m.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}
