using System.Text.Json;
using Draw.Domain.Index;

namespace Draw.Domain.Work;

/// <summary>One hour of the throughput chart.</summary>
public sealed record ThroughputHour(DateTime Hour, int SeriesReceived, int InstancesReceived, int SeriesCompleted);

/// <summary>
/// Series received, instances received and series completed (RT Structure Exported) per hour over
/// a sliding window, counted from change-feed events. Filled once from the feed, then kept current
/// event by event, so a live board never re-reads a day of events.
/// </summary>
public sealed class ThroughputBuckets
{
    /// <summary>How a series.status payload says a series reached its end (serialized without spaces).</summary>
    public static readonly string CompletedMarker = $"\"to\":\"{nameof(SeriesStatus.RtStructureExported)}\"";

    private readonly int hours;
    private readonly Dictionary<DateTime, (int Series, int Instances, int Completed)> counts = [];
    private readonly Dictionary<DateTime, HashSet<long>> seen = [];

    public ThroughputBuckets(int hours = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        this.hours = hours;
    }

    public static DateTime HourOf(DateTime time) => new(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);

    /// <summary>Counts an event once (a pushed event and its catch-up copy are the same id); others kinds are ignored.</summary>
    public void Add(LiveEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (series, instances, completed) = Classify(record);
        var hour = HourOf(record.Time);
        if (series + instances + completed == 0)
        {
            return;
        }

        if (!seen.TryGetValue(hour, out var ids))
        {
            seen[hour] = ids = [];
        }

        if (!ids.Add(record.Id))
        {
            return;
        }

        var current = counts.GetValueOrDefault(hour);
        counts[hour] = (current.Series + series, current.Instances + instances, current.Completed + completed);
    }

    public void AddRange(IEnumerable<LiveEvent> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Add(record);
        }
    }

    /// <summary>The window's hours, oldest first, ending with the hour of <paramref name="now"/>; older counts are dropped.</summary>
    public IReadOnlyList<ThroughputHour> Window(DateTime now)
    {
        var last = HourOf(now);
        var first = last.AddHours(1 - hours);
        foreach (var old in counts.Keys.Where(h => h < first).ToList())
        {
            counts.Remove(old);
        }

        foreach (var old in seen.Keys.Where(h => h < first).ToList())
        {
            seen.Remove(old);
        }

        return [.. Enumerable.Range(0, hours).Select(i =>
        {
            var hour = first.AddHours(i);
            var (series, instances, completed) = counts.GetValueOrDefault(hour);
            return new ThroughputHour(hour, series, instances, completed);
        })];
    }

    private static (int Series, int Instances, int Completed) Classify(LiveEvent record) => record.Kind switch
    {
        EventKinds.SeriesCreated => (1, 0, 0),
        EventKinds.SeriesInstancesArrived => (0, InstanceCount(record.Payload), 0),
        EventKinds.SeriesStatusChanged when record.Payload.Contains(CompletedMarker, StringComparison.Ordinal) => (0, 0, 1),
        _ => (0, 0, 0),
    };

    private static int InstanceCount(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.TryGetProperty("count", out var count) && count.TryGetInt32(out var n) ? Math.Max(0, n) : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
