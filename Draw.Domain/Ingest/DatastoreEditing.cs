using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Ingest;

/// <summary>
/// What the dashboard does to datastores and their schedules. Each change is committed with its
/// event and a request for the workers to apply the schedules now (they also sync every 15 s).
/// The caller checks the user's role first; these methods check the values.
/// </summary>
public static class DatastoreEditing
{
    /// <summary>Adds a datastore (<paramref name="id"/> 0) or updates one by id; refuses invalid values with every reason.</summary>
    public static async Task<Datastore> SaveFromFormAsync(
        this DrawDbContext db, long id, Datastore values, string by, TimeProvider time, IEventPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(time);
        values.Name = values.Name?.Trim() ?? "";
        values.Path = values.Path?.Trim() ?? "";
        var problems = DatastoreAdministration.Validate(values).ToList();
        if (await db.Datastores.AnyAsync(d => d.Name == values.Name && d.Id != id, cancellationToken))
        {
            problems.Add($"Name '{values.Name}' is already used by another datastore.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDatastoreException(string.Join(" ", problems));
        }

        values.Path = System.IO.Path.GetFullPath(values.Path);
        Datastore target;
        if (id == 0)
        {
            target = new Datastore { Name = values.Name, Path = values.Path, Kind = DatastoreKind.Folder, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.Datastores.Add(target);
        }
        else
        {
            target = await FindAsync(db, id, cancellationToken);
            target.Name = values.Name;
        }

        DatastoreAdministration.CopySettings(values, target);
        db.Append(time, EventKinds.DatastoreSaved, new { name = target.Name, created = id == 0, by });
        db.Enqueue(time, WorkCommandKinds.SyncSchedules, by);
        await db.SaveAndPublishAsync(publisher, cancellationToken);
        return target;
    }

    /// <summary>Sets a datastore's schedule: a cron expression when given, else the interval.</summary>
    public static async Task SetScheduleAsync(
        this DrawDbContext db, long id, string? cron, int intervalSeconds, string by, TimeProvider time, IEventPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var useCron = !string.IsNullOrWhiteSpace(cron);
        if ((useCron ? DatastoreSchedule.CronProblem(cron) : DatastoreSchedule.IntervalProblem(intervalSeconds)) is { } problem)
        {
            throw new InvalidDatastoreException(problem);
        }

        var datastore = await FindAsync(db, id, cancellationToken);
        datastore.Cron = useCron ? cron!.Trim() : null;
        if (!useCron)
        {
            datastore.IntervalSeconds = intervalSeconds;
        }

        db.Append(time, EventKinds.DatastoreSaved, new { name = datastore.Name, schedule = DatastoreSchedule.Describe(datastore), by });
        db.Enqueue(time, WorkCommandKinds.SyncSchedules, by);
        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    /// <summary>Pauses or resumes a datastore's schedule; Run now still works while paused.</summary>
    public static async Task SetPausedAsync(
        this DrawDbContext db, long id, bool paused, string by, TimeProvider time, IEventPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var datastore = await FindAsync(db, id, cancellationToken);
        datastore.Paused = paused;
        db.Append(time, paused ? EventKinds.SchedulePaused : EventKinds.ScheduleResumed, new { datastore = id, name = datastore.Name, by });
        db.Enqueue(time, WorkCommandKinds.SyncSchedules, by);
        await db.SaveAndPublishAsync(publisher, cancellationToken);
    }

    /// <summary>Queues a scan of the datastore now (the caller commits and wakes the workers).</summary>
    public static WorkCommand RequestScan(this DrawDbContext db, long id, string by, TimeProvider time) =>
        db.Enqueue(time, WorkCommandKinds.ScanDatastore, by, JsonSerializer.Serialize(new { datastoreId = id }));

    /// <summary>Queues a check of a folder as a worker sees it (the caller commits and wakes the workers).</summary>
    public static WorkCommand RequestPathTest(this DrawDbContext db, string path, string by, TimeProvider time) =>
        db.Enqueue(time, WorkCommandKinds.TestDatastore, by, JsonSerializer.Serialize(new { path }));

    private static async Task<Datastore> FindAsync(DrawDbContext db, long id, CancellationToken cancellationToken) =>
        await db.Datastores.FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
        ?? throw new InvalidDatastoreException($"There is no datastore with id {id} (deleted meanwhile?).");
}
