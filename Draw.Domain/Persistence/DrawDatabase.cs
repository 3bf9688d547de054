using Draw.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Domain.Persistence;

/// <summary>Chooses and configures the database provider from <see cref="DatabaseOptions"/>.</summary>
public static class DrawDatabase
{
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions database, DataRoot dataRoot)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(dataRoot);
        if (DatabaseProviders.IsPostgreSql(database.Provider))
        {
            builder.UseNpgsql(database.ConnectionString);
        }
        else
        {
            builder.UseSqlite(SqliteConnectionString(database, dataRoot));
        }

        // Migrations are hand-written (no design-time package, so no model snapshot); the schema
        // tests compare the model with the migrated database instead.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    public static string SqliteConnectionString(DatabaseOptions database, DataRoot dataRoot)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(dataRoot);
        if (!string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            return database.ConnectionString;
        }

        Directory.CreateDirectory(dataRoot.Path);
        // Default Timeout: wait for the other process's write lock instead of failing at once.
        return $"Data Source={dataRoot.SqliteFile};Default Timeout=30;Pooling=True";
    }

    /// <summary>Registers the context factory (for components and workers) and a scoped context (for Identity).</summary>
    public static IServiceCollection AddDrawDatabase(this IServiceCollection services)
    {
        static void Configure(IServiceProvider provider, DbContextOptionsBuilder builder) =>
            DrawDatabase.Configure(builder, provider.GetRequiredService<IOptions<DatabaseOptions>>().Value, provider.GetRequiredService<DataRoot>());

        services.AddDbContextFactory<DrawDbContext>(Configure);
        services.AddDbContext<DrawDbContext>(Configure, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>A context outside dependency injection, for the CLI and tests.</summary>
    public static DrawDbContext CreateContext(DatabaseOptions database, DataRoot dataRoot)
    {
        var builder = new DbContextOptionsBuilder<DrawDbContext>();
        Configure(builder, database, dataRoot);
        return new DrawDbContext(builder.Options);
    }
}
