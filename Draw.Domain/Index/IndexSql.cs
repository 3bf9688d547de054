using System.Data.Common;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Draw.Domain.Index;

/// <summary>Raw commands for the index's bulk writes, on the context's connection and inside its open transaction.</summary>
public static class IndexSql
{
    /// <summary>A command on the context's connection, enlisted in its transaction (which the caller must have opened).</summary>
    public static DbCommand CreateCommand(DrawDbContext db, string sql)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Index rows are written inside the caller's transaction; none is open.");
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a parameter; null becomes DBNull.</summary>
    public static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static DbUpdateException Failed(DbException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new DbUpdateException("Writing index rows failed: " + ex.Message, ex);
    }

    /// <summary>Runs a command, reporting a database error as SaveChanges would.</summary>
    public static async Task<object?> ExecuteAsync(DbCommand command, bool scalar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            return scalar ? await command.ExecuteScalarAsync(cancellationToken) : await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex)
        {
            throw Failed(ex);
        }
    }
}
