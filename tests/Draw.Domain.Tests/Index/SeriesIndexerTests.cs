using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Draw.Domain.Tests.Index;

/// <summary>
/// The indexer's batch path (raw multi-row inserts, lookups once per batch) on both providers. The
/// headers are built in code; the files only need bytes, which repeats are compared by.
/// </summary>
public sealed class SeriesIndexerTests : IDisposable
{
    private static readonly ArrivalSource Datastore = new(SeriesSource.Datastore, 7, 600);
    private readonly TempFolder files = new("draw-index");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => files.Dispose();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Repeats_inside_one_batch_are_told_apart_by_path_and_content(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var first = File("a/1.dcm", "slice one");
        var same = File("b/1.dcm", "slice one");
        var other = File("c/1.dcm", "slice one, changed");

        var outcomes = await IndexAsync(database, Arrived(first, "S1", "1.1"), Arrived(same, "S1", "1.1"), Arrived(other, "S1", "1.1"), Arrived(first, "S1", "1.1"));

        Assert.Equal([IndexOutcome.Indexed, IndexOutcome.Duplicate, IndexOutcome.Conflict, IndexOutcome.AlreadyIndexed], outcomes);
        await using var db = database.CreateContext();
        var instance = await db.Instances.SingleAsync();
        Assert.Equal(first, instance.Path);
        Assert.Equal(Path.GetDirectoryName(first), instance.Folder);
        var series = await db.Series.SingleAsync();
        Assert.Equal((1, 1, SeriesStatus.Receiving), (series.InstanceCount, series.ConflictCount, series.Status));
        Assert.Equal(series.Id, instance.SeriesId);
        var conflict = await db.InstanceConflicts.SingleAsync();
        Assert.Equal((first, other, series.Id), (conflict.IndexedPath, conflict.OtherPath, conflict.SeriesId));
        Assert.Equal(1, await db.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Indexed && o.SeriesId == series.Id));
        Assert.Equal([EventKinds.SeriesCreated, EventKinds.SeriesInstancesArrived, EventKinds.SeriesInstanceConflict],
            await db.Events.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_instance_moved_between_runs_is_followed_to_its_new_path(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var before = File("old/1.dcm", "slice one");
        var stays = File("old/2.dcm", "slice two");
        await IndexAsync(database, Arrived(before, "S1", "1.1"), Arrived(stays, "S1", "1.2"));
        var after = Path.Combine(files.Path, "new", "1.dcm");
        Directory.CreateDirectory(Path.GetDirectoryName(after)!);
        System.IO.File.Move(before, after);

        var outcomes = await IndexAsync(database, Arrived(after, "S1", "1.1"), Arrived(stays, "S1", "1.2"));

        Assert.Equal([IndexOutcome.Moved, IndexOutcome.AlreadyIndexed], outcomes);
        await using var db = database.CreateContext();
        var moved = await db.Instances.SingleAsync(i => i.SopInstanceUid == "1.1");
        Assert.Equal((after, Path.GetDirectoryName(after)), (moved.Path, moved.Folder));
        Assert.Equal((2, 0), await db.Series.Select(s => new ValueTuple<int, int>(s.InstanceCount, s.ConflictCount)).SingleAsync());
        Assert.Empty(await db.InstanceConflicts.ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_existing_series_gains_instances_and_a_stable_one_reopens(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await IndexAsync(database, Arrived(File("s1/1.dcm", "1"), "S1", "1.1"), Arrived(File("s1/2.dcm", "2"), "S1", "1.2"));
        await SetStatusAsync(database, SeriesStatus.Unprocessed);
        time.Advance(TimeSpan.FromMinutes(20));

        // Two more of the same series, and a new series of the same study and patient.
        await IndexAsync(database, Arrived(File("s1/3.dcm", "3"), "S1", "1.3"), Arrived(File("s1/4.dcm", "4"), "S1", "1.4"), Arrived(File("s2/1.dcm", "5"), "S2", "2.1"));

        await using var db = database.CreateContext();
        Assert.Equal(1, await db.Patients.CountAsync());
        Assert.Equal(1, await db.Studies.CountAsync());
        var series = await db.Series.OrderBy(s => s.SeriesInstanceUid).ToListAsync();
        Assert.Equal(["S1", "S2"], series.Select(s => s.SeriesInstanceUid));
        Assert.Equal([4, 1], series.Select(s => s.InstanceCount));
        Assert.All(series, s => Assert.Equal(SeriesStatus.Receiving, s.Status));
        Assert.Equal(time.GetUtcNow().UtcDateTime, series[0].LastArrival);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddMinutes(-20), series[0].FirstArrival);
        Assert.Equal(4, await db.Instances.CountAsync(i => i.SeriesId == series[0].Id && !i.Late));
        var changes = await db.Events.Where(e => e.Kind == EventKinds.SeriesStatusChanged && e.SeriesId == series[0].Id).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        Assert.Equal(2, changes.Count);
        Assert.Contains("\"from\":\"Unprocessed\",\"to\":\"Receiving\"", changes[1], StringComparison.Ordinal);
        Assert.Equal(2, await db.Events.CountAsync(e => e.Kind == EventKinds.SeriesCreated));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Late_instances_are_kept_apart_from_a_series_that_has_moved_on(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await IndexAsync(database, Arrived(File("s1/1.dcm", "1"), "S1", "1.1"));
        await SetStatusAsync(database, SeriesStatus.RuleMatched);

        await IndexAsync(database, Arrived(File("s1/2.dcm", "2"), "S1", "1.2"), Arrived(File("s1/3.dcm", "3"), "S1", "1.3"));

        await using var db = database.CreateContext();
        var series = await db.Series.SingleAsync();
        Assert.Equal((SeriesStatus.RuleMatched, 3, 2), (series.Status, series.InstanceCount, series.LateInstanceCount));
        Assert.Equal(["1.2", "1.3"], await db.Instances.Where(i => i.Late).OrderBy(i => i.SopInstanceUid).Select(i => i.SopInstanceUid).ToListAsync());
        var late = await db.Events.Where(e => e.Kind == EventKinds.SeriesLateInstance).Select(e => e.Payload).SingleAsync();
        Assert.Contains("\"count\":2", late, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_batch_larger_than_one_statement_writes_every_row_with_its_values(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var arrived = Enumerable.Range(0, 250)
            .Select(n => Arrived(File($"s{n % 3}/{n}.dcm", n.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"S{n % 3}", $"9.{n}", patient: $"P{n % 3 / 2}"))
            .ToArray();

        var outcomes = await IndexAsync(database, arrived);

        Assert.All(outcomes, o => Assert.Equal(IndexOutcome.Indexed, o));
        await using var db = database.CreateContext();
        Assert.Equal(250, await db.Instances.CountAsync());
        Assert.Equal(2, await db.Patients.CountAsync());
        Assert.Equal([84, 83, 83], await db.Series.OrderBy(s => s.SeriesInstanceUid).Select(s => s.InstanceCount).ToListAsync());
        var last = await db.Instances.SingleAsync(i => i.SopInstanceUid == "9.249");
        Assert.Equal((249, 249L, time.GetUtcNow().UtcDateTime, false), (last.InstanceNumber, last.FileSize, last.ArrivedAt, last.Late));
        Assert.Equal("S0", await db.Series.Where(s => s.Id == last.SeriesId).Select(s => s.SeriesInstanceUid).SingleAsync());
        Assert.Equal(250, await db.FileOperations.CountAsync(o => o.Result == "ok" && o.Time == time.GetUtcNow().UtcDateTime));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rolled_back_batch_leaves_nothing_behind(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new SeriesIndexer(time).IndexAsync(db, [Arrived(File("s1/1.dcm", "1"), "S1", "1.1")], Datastore, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using var check = database.CreateContext();
        Assert.Empty(await check.Patients.ToListAsync());
        Assert.Empty(await check.Instances.ToListAsync());
        Assert.Empty(await check.FileOperations.ToListAsync());
        Assert.Empty(await check.Events.ToListAsync());
    }

    [Fact]
    public async Task Indexing_outside_a_transaction_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        await using var db = database.CreateContext();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new SeriesIndexer(time).IndexAsync(db, [Arrived(File("s1/1.dcm", "1"), "S1", "1.1")], Datastore, CancellationToken.None));
    }

    private async Task<IReadOnlyList<IndexOutcome>> IndexAsync(TestDatabase database, params ArrivedFile[] arrived)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var outcomes = await new SeriesIndexer(time).IndexAsync(db, arrived, Datastore, CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return outcomes;
    }

    private async Task SetStatusAsync(TestDatabase database, SeriesStatus status)
    {
        await using var db = database.CreateContext();
        db.ChangeStatus(time, await db.Series.SingleAsync(), status, "test");
        await db.SaveChangesAsync();
    }

    private string File(string relative, string content)
    {
        var path = Path.Combine(files.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private ArrivedFile Arrived(string path, string seriesUid, string sopUid, string patient = "P1")
    {
        var number = int.Parse(sopUid[(sopUid.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var header = new InstanceHeader
        {
            PatientId = patient,
            PatientName = "Test^" + patient,
            StudyInstanceUid = "ST-" + patient,
            SeriesInstanceUid = seriesUid,
            Modality = "CT",
            SopInstanceUid = sopUid,
            SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            InstanceNumber = number,
        };
        return new ArrivedFile(header, path, number, time.GetUtcNow().UtcDateTime);
    }
}
