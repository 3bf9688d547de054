using System.Globalization;
using Quartz;

namespace Draw.Domain.Ingest;

/// <summary>
/// A datastore's schedule as people read and edit it: a Quartz cron expression or an interval,
/// validated the way the worker's scheduler will take it, with the next runs it gives.
/// </summary>
public static class DatastoreSchedule
{
    public const int MinIntervalSeconds = 5;
    public const int MaxIntervalSeconds = 604_800;

    /// <summary>Why <paramref name="cron"/> is not a Quartz cron expression, or null when it is.</summary>
    public static string? CronProblem(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return "Cron is empty: give six or seven fields (seconds minutes hours day-of-month month day-of-week [year]), for example 0 0/15 * * * ?";
        }

        try
        {
            var expression = new CronExpression(cron.Trim());
            return expression.GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null
                ? $"Cron '{cron}' never fires again."
                : null;
        }
        catch (FormatException ex)
        {
            return $"Cron '{cron}' is not a valid Quartz cron expression: {ex.Message}";
        }
    }

    /// <summary>Why <paramref name="seconds"/> is not a usable interval, or null when it is.</summary>
    public static string? IntervalProblem(int seconds) =>
        seconds is < MinIntervalSeconds or > MaxIntervalSeconds
            ? $"Interval must be from {MinIntervalSeconds} to {MaxIntervalSeconds} seconds (got {seconds})."
            : null;

    public static string Describe(Datastore datastore)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        return string.IsNullOrWhiteSpace(datastore.Cron) ? $"every {Duration(datastore.IntervalSeconds)}" : $"cron {datastore.Cron}";
    }

    /// <summary>
    /// The next <paramref name="count"/> runs (UTC) after <paramref name="now"/>. Cron: the
    /// expression's own fire times in <paramref name="zone"/> (the worker's zone; Quartz's default is
    /// local time). Interval: the last run's start plus the interval, then every interval; due now
    /// when that has passed or there was no run yet.
    /// </summary>
    public static IReadOnlyList<DateTime> NextRuns(string? cron, int intervalSeconds, DateTime? lastRunStart, DateTime now, int count, TimeZoneInfo? zone = null)
    {
        var runs = new List<DateTime>(count);
        if (!string.IsNullOrWhiteSpace(cron))
        {
            if (CronProblem(cron) is not null)
            {
                return runs;
            }

            var expression = new CronExpression(cron.Trim(), zone ?? TimeZoneInfo.Local);
            var after = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc));
            while (runs.Count < count && expression.GetNextValidTimeAfter(after) is { } next)
            {
                runs.Add(next.UtcDateTime);
                after = next;
            }

            return runs;
        }

        if (IntervalProblem(intervalSeconds) is not null)
        {
            return runs;
        }

        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var first = lastRunStart is { } last && last + interval > now ? last + interval : now;
        for (var i = 0; i < count; i++)
        {
            runs.Add(first + (interval * i));
        }

        return runs;
    }

    public static string Duration(int seconds) => seconds switch
    {
        _ when seconds % 86_400 == 0 => Plural(seconds / 86_400, "day"),
        _ when seconds % 3_600 == 0 => Plural(seconds / 3_600, "hour"),
        _ when seconds % 60 == 0 => Plural(seconds / 60, "minute"),
        _ => $"{seconds.ToString(CultureInfo.InvariantCulture)} s",
    };

    private static string Plural(int n, string unit) => n == 1 ? unit : $"{n.ToString(CultureInfo.InvariantCulture)} {unit}s";
}
