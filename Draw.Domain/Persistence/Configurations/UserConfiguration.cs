using Draw.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Draw.Domain.Persistence.Configurations;

internal sealed class DrawUserConfiguration : IEntityTypeConfiguration<DrawUser>
{
    public void Configure(EntityTypeBuilder<DrawUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(256);
    }
}
