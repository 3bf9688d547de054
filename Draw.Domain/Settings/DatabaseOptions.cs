namespace Draw.Domain.Settings;

/// <summary>Which database DRAW uses. SQLite (embedded, the default) or PostgreSQL (production).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Draw:Database";

    /// <summary>"Sqlite" or "PostgreSql".</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>Required for PostgreSQL. For SQLite, empty means draw.db under the data root.</summary>
    public string? ConnectionString { get; set; }
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";

    public static bool IsPostgreSql(string provider) =>
        string.Equals(provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

    public static bool IsKnown(string? provider) =>
        string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase) || IsPostgreSql(provider ?? "");
}
