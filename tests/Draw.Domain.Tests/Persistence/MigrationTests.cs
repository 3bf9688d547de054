using System.Data.Common;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Draw.Domain.Tests.Persistence;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_migration_applies_to_an_empty_database(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        await using var db = database.CreateContext();

        await db.Database.MigrateAsync();

        var applied = await db.Database.GetAppliedMigrationsAsync();
        Assert.Equal(DatabaseMigrator.KnownMigrations(), applied.Order(StringComparer.Ordinal).ToList());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_migrated_schema_has_every_table_and_column_the_model_uses(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();

        var missing = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null)
            {
                continue;
            }

            var columns = await ColumnsAsync(connection, table, provider);
            Assert.True(columns.Count > 0, $"table {table} is missing");
            var storeObject = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
            missing.AddRange(entity.GetProperties()
                .Select(p => p.GetColumnName(storeObject))
                .Where(c => c is not null && !columns.Contains(c))
                .Select(c => $"{table}.{c}"));
        }

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upgrading_from_the_first_migration_keeps_existing_rows(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        var migrations = DatabaseMigrator.KnownMigrations();
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(migrations[0]);
            db.Append(TimeProvider.System, "test.before-upgrade", new { marker = 1 });
            await db.SaveChangesAsync();
            // Raw SQL with the first migration's columns: the model has columns later migrations add.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"WorkerInstances\" (\"Id\", \"Host\", \"Version\", \"ProcessId\", \"StartedAt\", \"LastSeenAt\", \"Services\") VALUES ('w1', 'h', '0', 1, {0}, {0}, '{{}}')",
                DateTime.UtcNow);
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            Assert.Single(await db.Events.Where(e => e.Kind == "test.before-upgrade").ToListAsync());
            Assert.NotNull(await db.WorkerInstances.FindAsync("w1"));
        }
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, string table, string provider)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = provider == "Sqlite"
            ? $"SELECT name FROM pragma_table_info('{table}')"
            : $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'";
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
