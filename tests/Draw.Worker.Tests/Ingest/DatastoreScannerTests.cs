using Draw.Domain.Index;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Testing.Database;
using Draw.Worker.Health;
using Draw.Worker.Ingest;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Draw.Worker.Tests.Ingest;

public sealed class DatastoreScannerTests
{
    private static readonly DateTime FilesWritten = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scan_indexes_the_sample_sets_and_records_what_it_skipped(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = new DatastoreTree();
        tree.CopyFolder(DatastoreTree.LungImages, "lung/ct");
        tree.CopyFolder(DatastoreTree.LungRtStruct, "lung/rtstruct");
        tree.CopyFolder(DatastoreTree.MrImages, "sts/mr");
        tree.CopyFolder(DatastoreTree.MrMask, "sts/mask");
        tree.Write("notes/readme.txt", "not an image"u8.ToArray());
        var slice = File.ReadAllBytes(Directory.GetFiles(DatastoreTree.LungImages).Order(StringComparer.Ordinal).First());
        tree.Write("broken/truncated.dcm", slice[..(slice.Length / 3)]);
        tree.WriteLocalizer("lung/scout/scout.dcm");
        tree.AgeEverything(FilesWritten);
        var (scanner, time) = Scanner(database);
        var datastoreId = await AddDatastoreAsync(database, tree.Root, time);

        var run = await scanner.ScanAsync(datastoreId, CancellationToken.None);

        Assert.NotNull(run);
        Assert.Equal(DatastoreRunStatus.Completed, run.Status);
        Assert.Equal(174, run.FilesIndexed);
        Assert.Equal(1, run.NonDicom);
        Assert.Equal(1, run.Corrupt);
        Assert.Equal(1, run.Localizers);
        Assert.True(run.OtherModality >= 2, $"RTSTRUCT and mask files are not images ({run.OtherModality})");
        await using var db = database.CreateContext();
        Assert.Equal(2, await db.Patients.CountAsync());
        Assert.Equal(2, await db.Studies.CountAsync());
        var series = await db.Series.OrderBy(s => s.Modality).ToListAsync();
        Assert.Equal(["CT", "MR"], series.Select(s => s.Modality));
        Assert.Equal([134, 40], series.Select(s => s.InstanceCount));
        Assert.All(series, s => Assert.Equal(SeriesStatus.Receiving, s.Status));
        Assert.Equal(Path.Combine(tree.Root, "lung/ct"), series[0].RootPath);
        Assert.Equal(174, await db.Instances.CountAsync());
        var corrupt = await db.ScannedFiles.SingleAsync(f => f.Outcome == ScanOutcome.Corrupt);
        Assert.EndsWith("truncated.dcm", corrupt.Path, StringComparison.Ordinal);
        Assert.Contains("truncated.dcm", corrupt.Reason, StringComparison.Ordinal);
        Assert.Equal(174, await db.FileOperations.CountAsync(o => o.Kind == FileOperationKind.Indexed));
        var copied = await db.CopiedFolders.OrderBy(f => f.SourcePath).ToListAsync();
        Assert.Equal([Path.Combine(tree.Root, "lung/ct"), Path.Combine(tree.Root, "sts/mr")], copied.Select(f => f.SourcePath));
        Assert.Equal(134, copied[0].FileCount);
        Assert.Null(copied[0].TargetPath);
        Assert.Equal(2, await db.Events.CountAsync(e => e.Kind == Domain.Work.EventKinds.SeriesCreated));

        // Nothing changed: a second run reads nothing again and indexes nothing twice.
        var second = await scanner.ScanAsync(datastoreId, CancellationToken.None);
        Assert.Equal(0, second!.FilesIndexed);
        Assert.Equal(run.FilesSeen, second.FilesAlreadyKnown);

        // Once the quiet period has passed since the last arrival, both series are complete.
        Assert.Equal(2, await db.PromoteStableAsync(time, CancellationToken.None));
        await db.SaveChangesAsync();
        Assert.All(await db.Series.ToListAsync(), s => Assert.Equal(SeriesStatus.Unprocessed, s.Status));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_changed_inside_the_quiet_period_waits_for_a_later_run(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = new DatastoreTree();
        var folder = tree.CopyFolder(DatastoreTree.LungImages, "ct", take: 10);
        tree.AgeEverything(FilesWritten);
        var (scanner, time) = Scanner(database);
        var datastoreId = await AddDatastoreAsync(database, tree.Root, time);
        var fresh = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Last();
        File.SetLastWriteTimeUtc(fresh, time.GetUtcNow().UtcDateTime.AddSeconds(-30));

        var first = await scanner.ScanAsync(datastoreId, CancellationToken.None);
        Assert.Equal(9, first!.FilesIndexed);
        Assert.Equal(1, first.FilesTooRecent);
        await using (var db = database.CreateContext())
        {
            // The series cannot be complete while one of its files is still changing.
            Assert.Equal(0, await db.PromoteStableAsync(time, CancellationToken.None));
        }

        time.Advance(TimeSpan.FromMinutes(11));
        var second = await scanner.ScanAsync(datastoreId, CancellationToken.None);
        Assert.Equal(1, second!.FilesIndexed);
        await using (var db = database.CreateContext())
        {
            Assert.Equal(10, (await db.Series.SingleAsync()).InstanceCount);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scan_stopped_half_way_resumes_after_its_checkpoint_without_duplicates(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = TwoFolderTree();
        var (scanner, time) = Scanner(database);
        var datastoreId = await AddDatastoreAsync(database, tree.Root, time);
        using var stop = new CancellationTokenSource();
        AfterFirstFolder(scanner, stop.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scanner.ScanAsync(datastoreId, stop.Token));
        await using (var db = database.CreateContext())
        {
            Assert.Equal(134, await db.Instances.CountAsync());
            var datastore = await db.Datastores.SingleAsync(d => d.Id == datastoreId);
            Assert.EndsWith("a-lung", datastore.Checkpoint, StringComparison.Ordinal);
            Assert.Null(datastore.LeaseOwner);
            Assert.Equal(DatastoreRunStatus.Interrupted, (await db.DatastoreRuns.SingleAsync()).Status);
        }

        var resumed = await scanner.ScanAsync(datastoreId, CancellationToken.None);

        Assert.Equal(40, resumed!.FilesIndexed);
        Assert.Equal(40, resumed.FilesSeen);
        await using (var db = database.CreateContext())
        {
            Assert.Equal(174, await db.Instances.CountAsync());
            Assert.Null((await db.Datastores.SingleAsync(d => d.Id == datastoreId)).Checkpoint);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Repeats_are_ignored_when_identical_and_recorded_as_conflicts_when_not_and_late_instances_are_kept_apart(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = new DatastoreTree();
        var ct = tree.CopyFolder(DatastoreTree.LungImages, "ct", take: 5);
        tree.AgeEverything(FilesWritten);
        var (scanner, time) = Scanner(database);
        var datastoreId = await AddDatastoreAsync(database, tree.Root, time);
        await scanner.ScanAsync(datastoreId, CancellationToken.None);
        await using (var db = database.CreateContext())
        {
            // The series moves on (as matching would move it).
            var series = await db.Series.SingleAsync();
            db.ChangeStatus(time, series, SeriesStatus.RuleMatched, "test");
            await db.SaveChangesAsync();
        }

        var files = Directory.GetFiles(ct).Order(StringComparer.Ordinal).ToArray();
        tree.Write("copy/same.dcm", File.ReadAllBytes(files[0]));
        var changed = File.ReadAllBytes(files[1]);
        changed[^1] ^= 0xFF;
        tree.Write("copy/changed.dcm", changed);
        foreach (var extra in Directory.GetFiles(DatastoreTree.LungImages).Order(StringComparer.Ordinal).Skip(5).Take(2))
        {
            tree.Write("late/" + Path.GetFileName(extra), File.ReadAllBytes(extra));
        }

        tree.AgeEverything(FilesWritten);
        var run = await scanner.ScanAsync(datastoreId, CancellationToken.None);

        Assert.Equal(1, run!.Duplicates);
        Assert.Equal(1, run.Conflicts);
        Assert.Equal(2, run.FilesIndexed);
        await using var check = database.CreateContext();
        var moved = await check.Series.SingleAsync();
        Assert.Equal(SeriesStatus.RuleMatched, moved.Status);
        Assert.Equal(2, moved.LateInstanceCount);
        Assert.Equal(1, moved.ConflictCount);
        Assert.Equal(2, await check.Instances.CountAsync(i => i.Late));
        var conflict = await check.InstanceConflicts.SingleAsync();
        Assert.Equal(files[1], conflict.IndexedPath);
        Assert.EndsWith("changed.dcm", conflict.OtherPath, StringComparison.Ordinal);
        Assert.Equal(1, await check.Events.CountAsync(e => e.Kind == Domain.Work.EventKinds.SeriesLateInstance));
    }

    [Fact]
    public async Task Only_one_scan_of_a_datastore_runs_at_a_time()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        using var tree = new DatastoreTree();
        var (scanner, time) = Scanner(database);
        var datastoreId = await AddDatastoreAsync(database, tree.Root, time);
        await using (var db = database.CreateContext())
        {
            Assert.True(await db.TryTakeAsync(datastoreId, "another-worker", time.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(2), CancellationToken.None));
        }

        Assert.Null(await scanner.ScanAsync(datastoreId, CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.NotNull(await scanner.ScanAsync(datastoreId, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_scan_whose_lease_another_worker_took_writes_nothing_more_and_fails_saying_so(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var tree = TwoFolderTree();
        var (scanner, time) = Scanner(database);
        var datastoreId = await AddDatastoreAsync(database, tree.Root, time);
        AfterFirstFolder(scanner, () =>
        {
            // This worker stalled past its lease, and another one took the datastore over.
            time.Advance(DatastoreScanner.LeaseDuration + TimeSpan.FromSeconds(1));
            using var other = database.CreateContext();
            Assert.True(other.TryTakeAsync(datastoreId, "another-worker", time.GetUtcNow().UtcDateTime, DatastoreScanner.LeaseDuration, CancellationToken.None).GetAwaiter().GetResult());
        });

        var run = await scanner.ScanAsync(datastoreId, CancellationToken.None);

        Assert.Equal(DatastoreRunStatus.Failed, run!.Status);
        Assert.Contains("Another worker took over", run.Error, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        // The next folder found the lease gone before writing: none of its rows are there.
        Assert.Equal(134, await db.Instances.CountAsync());
        Assert.Equal(134, await db.ScannedFiles.CountAsync());
        Assert.Equal(0, await db.ScannedFiles.CountAsync(f => f.Folder.EndsWith("b-sts")));
        Assert.Equal("another-worker", (await db.Datastores.SingleAsync(d => d.Id == datastoreId)).LeaseOwner);
    }

    /// <summary>Two folders, scanned in this order: a-lung (LUNG1-001's 134 CT slices) and b-sts (40 MR slices).</summary>
    private static DatastoreTree TwoFolderTree()
    {
        var tree = new DatastoreTree();
        tree.CopyFolder(DatastoreTree.LungImages, "a-lung");
        tree.CopyFolder(DatastoreTree.MrImages, "b-sts");
        tree.AgeEverything(FilesWritten);
        return tree;
    }

    /// <summary>Runs <paramref name="action"/> once the scan has committed the first folder of <see cref="TwoFolderTree"/>.</summary>
    private static void AfterFirstFolder(DatastoreScanner scanner, Action action) =>
        scanner.FolderCommitted += folder =>
        {
            if (folder.EndsWith("a-lung", StringComparison.Ordinal))
            {
                action();
            }
        };

    private static (DatastoreScanner Scanner, FakeTimeProvider Time) Scanner(TestDatabase database)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(FilesWritten.AddHours(1)));
        var scanner = new DatastoreScanner(database.Factory, new SeriesIndexer(time), new WorkerIdentity(), database.DataRoot,
            new RecordingPublisher(), time, NullLogger<DatastoreScanner>.Instance);
        return (scanner, time);
    }

    private static async Task<long> AddDatastoreAsync(TestDatabase database, string path, TimeProvider time)
    {
        await using var db = database.CreateContext();
        var datastore = await db.SaveAsync(new Datastore { Name = "test", Path = path, QuietPeriodSeconds = 600 }, time, CancellationToken.None);
        return datastore.Id;
    }
}
