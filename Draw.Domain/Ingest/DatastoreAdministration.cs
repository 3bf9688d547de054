using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Ingest;

/// <summary>Adding and checking datastores, for the CLI, the dashboard and start-up.</summary>
public static class DatastoreAdministration
{
    /// <summary>Problems with a datastore's settings, each naming the field; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(Datastore datastore)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(datastore.Name) || datastore.Name.Length > 128)
        {
            problems.Add("Name must be 1 to 128 characters.");
        }

        if (string.IsNullOrWhiteSpace(datastore.Path) || !System.IO.Path.IsPathRooted(datastore.Path))
        {
            problems.Add($"Path must be an absolute folder path (got '{datastore.Path}').");
        }

        if (!string.IsNullOrWhiteSpace(datastore.Cron) && !Quartz.CronExpression.TryParse(datastore.Cron, out _))
        {
            problems.Add($"Cron '{datastore.Cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week).");
        }

        if (datastore.IntervalSeconds is < 5 or > 604_800)
        {
            problems.Add($"IntervalSeconds must be from 5 to 604800 (got {datastore.IntervalSeconds}).");
        }

        if (datastore.QuietPeriodSeconds is < 0 or > 604_800)
        {
            problems.Add($"QuietPeriodSeconds must be from 0 to 604800 (got {datastore.QuietPeriodSeconds}).");
        }

        if (datastore.ModalityList.Count == 0 || datastore.ModalityList.Any(m => m.Length > 16))
        {
            problems.Add($"Modalities must list DICOM modalities such as CT,MR,PT (got '{datastore.Modalities}').");
        }

        return problems;
    }

    /// <summary>Adds a datastore, or updates the one with that name; refuses invalid settings with every reason.</summary>
    public static async Task<Datastore> SaveAsync(this DrawDbContext db, Datastore datastore, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(datastore);
        ArgumentNullException.ThrowIfNull(time);
        datastore.Path = System.IO.Path.GetFullPath(datastore.Path);
        var problems = Validate(datastore);
        if (problems.Count > 0)
        {
            throw new InvalidDatastoreException(string.Join(" ", problems));
        }

        var existing = await db.Datastores.FirstOrDefaultAsync(d => d.Name == datastore.Name, cancellationToken);
        if (existing is null)
        {
            datastore.CreatedAt = time.GetUtcNow().UtcDateTime;
            db.Datastores.Add(datastore);
            existing = datastore;
        }
        else
        {
            existing.Path = datastore.Path;
            existing.Kind = datastore.Kind;
            existing.Enabled = datastore.Enabled;
            existing.Cron = datastore.Cron;
            existing.IntervalSeconds = datastore.IntervalSeconds;
            existing.QuietPeriodSeconds = datastore.QuietPeriodSeconds;
            existing.PullWindowStart = datastore.PullWindowStart;
            existing.StudyDateFilter = datastore.StudyDateFilter;
            existing.Modalities = datastore.Modalities;
            existing.ExcludeLocalizers = datastore.ExcludeLocalizers;
            existing.LocalizerWords = datastore.LocalizerWords;
            existing.Recursive = datastore.Recursive;
            existing.CopyToWork = datastore.CopyToWork;
        }

        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }
}

public sealed class InvalidDatastoreException(string message) : Exception(message);
