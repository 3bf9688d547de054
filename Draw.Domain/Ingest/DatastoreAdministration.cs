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

        if (!string.IsNullOrWhiteSpace(datastore.Cron) && DatastoreSchedule.CronProblem(datastore.Cron) is { } cronProblem)
        {
            problems.Add(cronProblem);
        }

        if (DatastoreSchedule.IntervalProblem(datastore.IntervalSeconds) is { } intervalProblem)
        {
            problems.Add(intervalProblem);
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
            existing.Kind = datastore.Kind;
            CopySettings(datastore, existing);
        }

        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }

    /// <summary>Copies what a person edits (not the kind, the lease, the checkpoint or the last run).</summary>
    internal static void CopySettings(Datastore from, Datastore to)
    {
        to.Path = from.Path;
        to.Enabled = from.Enabled;
        to.Cron = string.IsNullOrWhiteSpace(from.Cron) ? null : from.Cron.Trim();
        to.IntervalSeconds = from.IntervalSeconds;
        to.QuietPeriodSeconds = from.QuietPeriodSeconds;
        to.PullWindowStart = from.PullWindowStart;
        to.StudyDateFilter = from.StudyDateFilter;
        to.Modalities = from.Modalities;
        to.ExcludeLocalizers = from.ExcludeLocalizers;
        to.LocalizerWords = from.LocalizerWords;
        to.Recursive = from.Recursive;
        to.CopyToWork = from.CopyToWork;
    }
}

public sealed class InvalidDatastoreException(string message) : Exception(message);
