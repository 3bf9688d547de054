using System.Data.Common;
using System.Globalization;
using System.Text;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Draw.Domain.Index;

/// <summary>One column of a <see cref="RowWriter{T}"/>: its name and how to get its value from a row.</summary>
public sealed record RowColumn<T>(string Name, Func<T, object?> Value);

/// <summary>
/// Writes rows of one table with parameterised multi-row INSERTs on the context's own connection
/// and open transaction, bypassing change tracking: indexing writes thousands of rows per folder,
/// and EF's tracking and SaveChanges cost more than reading the files. The SQL is plain enough for
/// both SQLite and PostgreSQL (quoted identifiers, @ parameters, RETURNING). A database error
/// surfaces as <see cref="DbUpdateException"/>, like SaveChanges, so callers keep one error path.
/// Values must already be in their stored form (enums as names, DateTime in UTC).
/// </summary>
public sealed class RowWriter<T>
{
    // PostgreSQL: many rows per statement saves round trips (100 rows stay far below its parameter limit).
    // SQLite runs in process, so there is no round trip to save: one row per statement, prepared once on
    // SQLite's own handle and bound by position (SqliteStatement), is the fastest there.
    private const int PostgreSqlRowsPerStatement = 100;

    private readonly string table;
    private readonly RowColumn<T>[] columns;
    private readonly string sqliteInsert;

    public RowWriter(string table, IEnumerable<RowColumn<T>> columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(columns);
        this.table = table;
        this.columns = [.. columns];
        sqliteInsert = SqliteInsertSql();
    }

    /// <summary>Inserts every row; one prepared statement per chunk size, reused for every full chunk.</summary>
    public async Task InsertAsync(DrawDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        if (db.Database.IsSqlite())
        {
            InsertSqlite(db, rows);
            return;
        }

        DbCommand? full = null;
        const int perStatement = PostgreSqlRowsPerStatement;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                if (count == perStatement)
                {
                    full ??= CreateInsert(db, count, returning: false);
                    await ExecuteAsync(full, rows, start, count, cancellationToken);
                }
                else
                {
                    await using var last = CreateInsert(db, count, returning: false);
                    await ExecuteAsync(last, rows, start, count, cancellationToken);
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    /// <summary>Inserts one row and returns its generated "Id" (the key other rows refer to).</summary>
    public async Task<long> InsertReturningIdAsync(DrawDbContext db, T row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            using var insert = SqliteStatement.Prepare(db, sqliteInsert);
            WriteSqlite(insert, row);
            return insert.LastInsertedId();
        }

        await using var command = CreateInsert(db, 1, returning: true);
        Bind(command, row, 0);
        return Convert.ToInt64(await IndexSql.ExecuteAsync(command, scalar: true, cancellationToken), CultureInfo.InvariantCulture);
    }

    private void InsertSqlite(DrawDbContext db, IReadOnlyList<T> rows)
    {
        using var insert = SqliteStatement.Prepare(db, sqliteInsert);
        foreach (var row in rows)
        {
            WriteSqlite(insert, row);
        }
    }

    private void WriteSqlite(SqliteStatement insert, T row)
    {
        try
        {
            for (var c = 0; c < columns.Length; c++)
            {
                insert.Bind(c + 1, columns[c].Value(row));
            }

            insert.Execute();
        }
        catch (DbException ex)
        {
            throw IndexSql.Failed(ex);
        }
    }

    private string SqliteInsertSql()
    {
        var sql = new StringBuilder("INSERT INTO \"").Append(table).Append("\" (");
        sql.AppendJoin(", ", columns.Select(c => "\"" + c.Name + "\"")).Append(") VALUES (");
        sql.AppendJoin(", ", columns.Select((_, n) => string.Create(CultureInfo.InvariantCulture, $"?{n + 1}"))).Append(')');
        return sql.ToString();
    }

    private DbCommand CreateInsert(DrawDbContext db, int rowCount, bool returning)
    {
        var sql = new StringBuilder("INSERT INTO \"").Append(table).Append("\" (");
        sql.AppendJoin(", ", columns.Select(c => "\"" + c.Name + "\"")).Append(") VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                sql.Append(c == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@p{(r * columns.Length) + c}");
            }

            sql.Append(')');
        }

        if (returning)
        {
            sql.Append(" RETURNING \"Id\"");
        }

        var command = IndexSql.CreateCommand(db, sql.ToString());
        for (var p = 0; p < rowCount * columns.Length; p++)
        {
            IndexSql.AddParameter(command, string.Create(CultureInfo.InvariantCulture, $"@p{p}"), null);
        }

        return command;
    }

    private async Task ExecuteAsync(DbCommand command, IReadOnlyList<T> rows, int start, int count, CancellationToken cancellationToken)
    {
        for (var r = 0; r < count; r++)
        {
            Bind(command, rows[start + r], r);
        }

        await IndexSql.ExecuteAsync(command, scalar: false, cancellationToken);
    }

    private void Bind(DbCommand command, T row, int rowIndex)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            command.Parameters[(rowIndex * columns.Length) + c].Value = columns[c].Value(row) ?? DBNull.Value;
        }
    }
}
