using System.Text.Json;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Work;

/// <summary>
/// Writes and reads the change feed. Events are added to the same context as the state change, so
/// one SaveChanges commits both; <see cref="SaveAndPublishAsync"/> pushes them once committed.
/// </summary>
public static class ChangeFeed
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public static EventRecord Append(this DrawDbContext db, TimeProvider time, string kind, object? payload = null, long? seriesId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var record = new EventRecord
        {
            Time = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            SeriesId = seriesId,
            Payload = payload is null ? "{}" : JsonSerializer.Serialize(payload, PayloadJson),
        };
        db.Events.Add(record);
        return record;
    }

    /// <summary>Commits the context, then hands the events it committed to the publisher.</summary>
    public static async Task<int> SaveAndPublishAsync(this DrawDbContext db, IEventPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(publisher);
        var added = db.ChangeTracker.Entries<EventRecord>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        var count = await db.SaveChangesAsync(cancellationToken);
        if (added.Count > 0)
        {
            publisher.Publish([.. added.Select(LiveEvent.From)]);
        }

        return count;
    }

    public static Task<List<EventRecord>> LatestAsync(this DrawDbContext db, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Events.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>Catch-up read for a client that has seen everything up to <paramref name="afterId"/>.</summary>
    public static Task<List<EventRecord>> SinceAsync(this DrawDbContext db, long afterId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Events.AsNoTracking().Where(e => e.Id > afterId).OrderBy(e => e.Id).Take(max).ToListAsync(cancellationToken);
    }
}
