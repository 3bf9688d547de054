using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Tests.Index;

/// <summary>
/// The index's raw row writers: what they store must read back through EF exactly as written, on both
/// providers; on SQLite (positional statements on the native handle) byte for byte what Microsoft.Data.Sqlite
/// stores for the same values.
/// </summary>
public sealed class RowWriterTests
{
    // Microsecond precision: what PostgreSQL keeps.
    private static readonly DateTime When = new DateTime(2026, 11, 23, 9, 41, 7, DateTimeKind.Utc).AddTicks(1_234_560);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rows_read_back_through_ef_with_every_value_as_written(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var operations = new[]
        {
            new FileOperation { Time = When, Kind = FileOperationKind.Indexed, Source = "/data/Ünïcødé 日本/1.dcm", Result = "ok", SeriesId = null, Target = null },
            new FileOperation { Time = When.AddDays(-400), Kind = FileOperationKind.Copied, Source = "/a", Target = "/b", Result = "ok: moved here", SeriesId = 42 },
        };
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await IndexRows.FileOperations.InsertAsync(db, operations, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var check = database.CreateContext();
        var read = await check.FileOperations.OrderBy(o => o.Id).ToListAsync();
        Assert.Equal(2, read.Count);
        for (var n = 0; n < read.Count; n++)
        {
            Assert.Equal((operations[n].Time, operations[n].Kind, operations[n].Source, operations[n].Target, operations[n].Result, operations[n].SeriesId),
                (read[n].Time, read[n].Kind, read[n].Source, read[n].Target, read[n].Result, read[n].SeriesId));
            Assert.Equal(DateTimeKind.Utc, read[n].Time.Kind);
        }

        Assert.True(read[0].Id > 0 && read[1].Id == read[0].Id + 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_returned_id_is_the_new_rows_key(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        long first;
        long second;
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            first = await IndexRows.Patients.InsertReturningIdAsync(db, new Patient { PatientId = "P1", Name = "A^B", CreatedAt = When }, CancellationToken.None);
            second = await IndexRows.Patients.InsertReturningIdAsync(db, new Patient { PatientId = "P2", Sex = "O", CreatedAt = When }, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var check = database.CreateContext();
        Assert.Equal("P1", (await check.Patients.SingleAsync(p => p.Id == first)).PatientId);
        var p2 = await check.Patients.SingleAsync(p => p.Id == second);
        Assert.Equal(("P2", (string?)null, "O", When), (p2.PatientId, p2.Name, p2.Sex, p2.CreatedAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_constraint_violation_is_a_DbUpdateException_naming_the_failure_and_the_batch_rolls_back(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        static ScannedFile Row() => new() { DatastoreId = 1, Path = "/d/1.dcm", Folder = "/d", Size = 3, ModifiedAt = When, Outcome = ScanOutcome.Indexed, RunId = 1, DecidedAt = When };
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            // The ledger's path is unique: the second row breaks the constraint.
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.RecordAsync([Row(), Row()], CancellationToken.None));
            Assert.StartsWith("Writing index rows failed: ", error.Message, StringComparison.Ordinal);
            await transaction.RollbackAsync();
        }

        await using var check = database.CreateContext();
        Assert.Empty(await check.ScannedFiles.ToListAsync());
    }

    [Fact]
    public async Task On_sqlite_the_stored_types_and_values_match_microsoft_data_sqlites_own_binding()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        // A folder name longer than the writer encodes on the stack, to cover its pooled-buffer path too.
        var longFolder = "/ü/" + new string('x', 300);
        var instance = new Instance { SopInstanceUid = "1.2.3", SopClassUid = null, InstanceNumber = 17, Path = "/ü/1.dcm", Folder = longFolder, FileSize = 5_000_000_000, ArrivedAt = When, Late = true };
        await using var db = database.CreateContext();
        // Instances refer to a series (a foreign key SQLite enforces).
        var series = new Series { SeriesInstanceUid = "S1", Study = new Study { StudyInstanceUid = "ST1", Patient = new Patient { PatientId = "P1" } } };
        db.Series.Add(series);
        await db.SaveChangesAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await IndexRows.Instances.InsertAsync(db, [(instance, series)], CancellationToken.None);
        await using (var command = IndexSql.CreateCommand(db,
            "INSERT INTO \"Instances\" (\"SeriesId\", \"SopInstanceUid\", \"SopClassUid\", \"InstanceNumber\", \"Path\", \"Folder\", \"FileSize\", \"ArrivedAt\", \"Late\") VALUES (@s, @u, @c, @n, @p, @f, @z, @a, @l)"))
        {
            foreach (var (name, value) in new (string, object?)[] { ("@s", series.Id), ("@u", "1.2.3.copy"), ("@c", null), ("@n", 17), ("@p", "/ü/1.dcm"), ("@f", longFolder), ("@z", 5_000_000_000L), ("@a", When), ("@l", true) })
            {
                IndexSql.AddParameter(command, name, value);
            }

            await command.ExecuteNonQueryAsync();
        }

        string[] columns = ["SeriesId", "SopClassUid", "InstanceNumber", "Path", "Folder", "FileSize", "ArrivedAt", "Late"];
        var stored = new List<string>();
        await using (var query = IndexSql.CreateCommand(db,
            "SELECT " + string.Join(", ", columns.Select(c => $"typeof(\"{c}\") || ':' || quote(\"{c}\")")) + " FROM \"Instances\" ORDER BY \"Id\""))
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(string.Join(" | ", columns.Select((_, c) => reader.GetString(c))));
            }
        }

        Assert.Equal(2, stored.Count);
        Assert.Equal(stored[1], stored[0]);
        Assert.Contains("text:'2026-11-23 09:41:07.123456'", stored[0], StringComparison.Ordinal);
        Assert.Contains("integer:1", stored[0], StringComparison.Ordinal);
        Assert.Contains($"text:'{longFolder}'", stored[0], StringComparison.Ordinal);
    }
}
