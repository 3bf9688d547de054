using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Testing.Database;
using Draw.Testing.Series;
using Microsoft.EntityFrameworkCore;

namespace Draw.Benchmarks.Scenarios;

/// <summary>Where the series-page scenario's database is: written as the data set's one file, read back by the child processes.</summary>
public sealed record SeriesPageDatabase(string Provider, string? ConnectionString, string DataRoot)
{
    public DatabaseOptions Options => new() { Provider = Provider, ConnectionString = ConnectionString };

    public DrawDbContext CreateContext() => DrawDatabase.CreateContext(Options, new DataRoot(DataRoot));

    public static SeriesPageDatabase Read(string path) =>
        JsonSerializer.Deserialize<SeriesPageDatabase>(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} does not describe a database");

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));
}

/// <summary>
/// The 100,000 series the scenario queries, seeded by <see cref="SeriesSeeder"/> (the same rows the
/// page tests use, at scale): SQLite kept in the work folder between runs (seeded once), PostgreSQL
/// seeded into a fresh database each run when DRAW_TEST_POSTGRES names a server.
/// </summary>
public static class SeriesPageData
{
    public const int SeriesCount = 100_000;
    public static readonly DateTime SeededAt = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<SeriesPageDatabase> SqliteAsync(string folder, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var database = new SeriesPageDatabase(DatabaseProviders.Sqlite, null, folder);
        var done = Path.Combine(folder, ".complete");
        if (!File.Exists(done))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            await SeedAsync(database, log);
            await File.WriteAllTextAsync(done, "");
        }
        else
        {
            await using var db = database.CreateContext();
            await db.Database.MigrateAsync();
        }

        return database;
    }

    /// <summary>A fresh PostgreSQL database (dropped with the returned TestDatabase), seeded.</summary>
    public static async Task<(TestDatabase Owner, SeriesPageDatabase Database)> PostgreSqlAsync(TextWriter log)
    {
        var owner = await TestDatabase.CreateAsync(DatabaseProviders.PostgreSql, migrate: false);
        var database = new SeriesPageDatabase(owner.Options.Provider, owner.Options.ConnectionString, owner.DataRoot.Path);
        await SeedAsync(database, log);
        return (owner, database);
    }

    private static async Task SeedAsync(SeriesPageDatabase database, TextWriter log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                // As the worker's migrator leaves it: WAL, so the dashboard reads while the worker writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }

        await SeriesSeeder.SeedWithTemplatesAsync(database.CreateContext, SeriesCount, SeededAt);
        log.WriteLine($"series-page: seeded {SeriesCount:N0} series into {database.Provider} in {clock.Elapsed.TotalSeconds:0} s");
    }
}
