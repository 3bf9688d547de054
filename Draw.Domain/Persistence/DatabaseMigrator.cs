using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace Draw.Domain.Persistence;

/// <summary>
/// Applies the migrations (worker and `draw migrate`) or waits until another process has applied
/// them (the dashboard). The schema version is the id of the last migration this build knows.
/// </summary>
public sealed partial class DatabaseMigrator(IDbContextFactory<DrawDbContext> contexts, ILogger<DatabaseMigrator> logger, TimeProvider time)
{
    public static string RequiredVersion { get; } = KnownMigrations()[^1];

    public static IReadOnlyList<string> KnownMigrations()
    {
        using var db = new DrawDbContext(new DbContextOptionsBuilder<DrawDbContext>().UseSqlite("Data Source=:memory:").Options);
        return [.. db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the dashboard read while the worker writes; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        foreach (var migration in pending)
        {
            LogApplied(migration);
        }

        return pending;
    }

    public async Task<string?> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            return (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Order(StringComparer.Ordinal).LastOrDefault();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Waits, saying so every few seconds, until the schema this build needs is in place.</summary>
    public async Task WaitForSchemaAsync(CancellationToken cancellationToken)
    {
        var lastLog = DateTimeOffset.MinValue;
        while (true)
        {
            var current = await CurrentVersionAsync(cancellationToken);
            if (current is not null && string.CompareOrdinal(current, RequiredVersion) >= 0)
            {
                return;
            }

            if (time.GetUtcNow() - lastLog > TimeSpan.FromSeconds(10))
            {
                LogWaiting(RequiredVersion, current ?? "none");
                lastLog = time.GetUtcNow();
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Migration}")]
    private partial void LogApplied(string migration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for database schema {Required} (found {Current}); the worker or 'draw migrate' applies it")]
    private partial void LogWaiting(string required, string current);
}
