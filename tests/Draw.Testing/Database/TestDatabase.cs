using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace Draw.Testing.Database;

/// <summary>
/// An empty database of either provider for one test: a SQLite file in a temporary data root,
/// or a fresh PostgreSQL database (dropped afterwards).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TempFolder folder = new("draw-db");
    private readonly string? postgresDatabase;

    private TestDatabase(string provider)
    {
        DataRoot = new DataRoot(folder.Path);
        if (DatabaseProviders.IsPostgreSql(provider))
        {
            postgresDatabase = "draw_test_" + Guid.NewGuid().ToString("N")[..12];
            var builder = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnectionString) { Database = postgresDatabase };
            Options = new DatabaseOptions { Provider = DatabaseProviders.PostgreSql, ConnectionString = builder.ConnectionString };
        }
        else
        {
            Options = new DatabaseOptions { Provider = DatabaseProviders.Sqlite };
        }
    }

    /// <summary>The two providers, for [Theory] [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))].</summary>
    public static TheoryData<string> Providers => new() { DatabaseProviders.Sqlite, DatabaseProviders.PostgreSql };

    public DatabaseOptions Options { get; }

    public DataRoot DataRoot { get; }

    public string Provider => Options.Provider;

    /// <summary>Environment variables that point a worker or web process at this database.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Draw__Storage__DataRoot"] = DataRoot.Path,
        ["Draw__Database__Provider"] = Options.Provider,
        ["Draw__Database__ConnectionString"] = Options.ConnectionString ?? "",
    };

    public static async Task<TestDatabase> CreateAsync(string provider, bool migrate = true)
    {
        var database = new TestDatabase(provider);
        if (database.postgresDatabase is not null)
        {
            await using var admin = new NpgsqlConnection(PostgresServer.AdminConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.postgresDatabase}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        if (migrate)
        {
            await using var db = database.CreateContext();
            await db.Database.MigrateAsync();
        }

        return database;
    }

    public DrawDbContext CreateContext() => DrawDatabase.CreateContext(Options, DataRoot);

    public IDbContextFactory<DrawDbContext> Factory => new ContextFactory(this);

    public async ValueTask DisposeAsync()
    {
        if (postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer.AdminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    private sealed class ContextFactory(TestDatabase database) : IDbContextFactory<DrawDbContext>
    {
        public DrawDbContext CreateDbContext() => database.CreateContext();
    }
}
