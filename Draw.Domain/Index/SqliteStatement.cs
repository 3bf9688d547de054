using System.Buffers;
using System.Text;
using Draw.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Draw.Domain.Index;

/// <summary>
/// One statement prepared on SQLite's own handle, bound by position and reset after each run: the
/// index's per-row writes and per-UID lookups. Microsoft.Data.Sqlite re-binds every parameter by name on every execution
/// and builds a data reader for each, which costs more than the row's own b-tree work; this skips both.
/// Values are stored exactly as Microsoft.Data.Sqlite stores them (see <see cref="Bind"/>), so EF reads
/// the rows back unchanged. It runs on the context's connection, inside the transaction the caller
/// opened (SQLite transactions belong to the connection).
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    // Text up to this many characters is encoded on the stack; longer text (rare: long paths) in a pooled array.
    private const int StackTextLimit = 256;

    private readonly sqlite3 connection;
    private readonly sqlite3_stmt statement;

    private SqliteStatement(sqlite3 connection, sqlite3_stmt statement)
    {
        this.connection = connection;
        this.statement = statement;
    }

    /// <summary>Prepares <paramref name="sql"/> (positional parameters ?1, ?2...) on the context's SQLite connection.</summary>
    public static SqliteStatement Prepare(DrawDbContext db, string sql)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Index rows are written inside the caller's transaction; none is open.");
        }

        var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle
            ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        Check(rc, handle);
        return new SqliteStatement(handle, statement);
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based) as Microsoft.Data.Sqlite would bind the same value.</summary>
    public void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, index),
            string s => BindText(index, s),
            long l => raw.sqlite3_bind_int64(statement, index, l),
            int i => raw.sqlite3_bind_int64(statement, index, i),
            bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
            double d => raw.sqlite3_bind_double(statement, index, d),
            DateTime t => BindDateTime(index, t),
            _ => throw new NotSupportedException($"The index writer cannot store a {value.GetType().Name} in SQLite."),
        };
        Check(rc, connection);
    }

    /// <summary>Runs the statement once (an INSERT or UPDATE) and makes it ready for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(statement);
        // Reset before reporting, so the statement does not keep its table locked after a failure.
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc, connection);
        }
    }

    /// <summary>Steps a query: true with a row to read (<see cref="Text"/>, <see cref="Int64"/>); false, and reset, after the last.</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc, connection);
        }

        return false;
    }

    /// <summary>Makes the statement ready to run again before all its rows were read.</summary>
    public void Reset() => raw.sqlite3_reset(statement);

    public string Text(int column) => raw.sqlite3_column_text(statement, column).utf8_to_string();

    public long Int64(int column) => raw.sqlite3_column_int64(statement, column);

    /// <summary>The rowid of the row the last INSERT on this connection wrote (the "Id" of the index tables).</summary>
    public long LastInsertedId() => raw.sqlite3_last_insert_rowid(connection);

    public void Dispose() => statement.Dispose();

    /// <summary>The database keeps text as UTF-8: bound as UTF-8, SQLite stores it without converting it again.</summary>
    private int BindText(int index, string value)
    {
        if (value.Length > StackTextLimit)
        {
            var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
            try
            {
                return raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Span<byte> utf8 = stackalloc byte[StackTextLimit * 3];
        return raw.sqlite3_bind_text(statement, index, utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
    }

    private int BindDateTime(int index, DateTime value)
    {
        Span<byte> text = stackalloc byte[SqliteDateText.MaxLength];
        return raw.sqlite3_bind_text(statement, index, text[..SqliteDateText.Format(value, text)]);
    }

    /// <summary>A failure surfaces as Microsoft.Data.Sqlite's own exception, which callers turn into a DbUpdateException.</summary>
    private static void Check(int rc, sqlite3 handle)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }
}
