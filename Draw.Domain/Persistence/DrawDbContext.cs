using Draw.Domain.Users;
using Draw.Domain.Work;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Persistence;

/// <summary>
/// The one database of DRAW: identity, state, commands and the change feed. The schema comes from
/// the hand-written migrations in Persistence/Migrations, never from EnsureCreated. Each area adds
/// its sets in its own file (DrawDbContext.Area.cs); configurations are found by reflection.
/// </summary>
public sealed partial class DrawDbContext(DbContextOptions<DrawDbContext> options) : IdentityDbContext<DrawUser>(options)
{
    public DbSet<EventRecord> Events => Set<EventRecord>();

    public DbSet<WorkerInstance> WorkerInstances => Set<WorkerInstance>();

    public DbSet<WorkCommand> WorkCommands => Set<WorkCommand>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DrawDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Every DateTime is UTC; SQLite would otherwise hand them back as Unspecified.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
