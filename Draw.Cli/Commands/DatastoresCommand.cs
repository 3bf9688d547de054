using System.Globalization;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw datastores list | add NAME PATH [options] | scan NAME`.</summary>
internal sealed class DatastoresCommand : ICommand
{
    public string Name => "datastores";

    public string Summary => "list, add or update, and scan datastore folders";

    public string Usage => "list | add NAME PATH [--interval S | --cron EXPR] [--quiet S] [--modalities CT,MR,PT] [--pull-from YYYY-MM-DD] [--study-date-filter] [--include-localizers] [--no-recursive] [--copy-to-work] [--disabled] | scan NAME";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        switch (args)
        {
            case ["list"]:
                foreach (var d in await db.Datastores.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken))
                {
                    var schedule = string.IsNullOrWhiteSpace(d.Cron) ? $"every {d.IntervalSeconds}s" : $"cron '{d.Cron}'";
                    Console.WriteLine($"{d.Name,-16} {(d.Enabled ? "enabled " : "disabled")} {schedule,-16} quiet {d.QuietPeriodSeconds}s  {d.Modalities,-10} {d.Path}");
                    Console.WriteLine($"{"",-16} last run: {d.LastRunAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"} {d.LastRunResult}");
                }

                return 0;
            case ["add", var name, var path, .. var options]:
                try
                {
                    var saved = await db.SaveAsync(Parse(name, path, options), time, cancellationToken);
                    Console.WriteLine($"datastore {saved.Name} saved ({saved.Path}); the worker schedules it within 15 s");
                    return 0;
                }
                catch (InvalidDatastoreException ex)
                {
                    await Console.Error.WriteLineAsync($"draw datastores: {ex.Message}");
                    return 1;
                }

            case ["scan", var name]:
                var datastore = await db.Datastores.AsNoTracking().FirstOrDefaultAsync(d => d.Name == name, cancellationToken);
                if (datastore is null)
                {
                    await Console.Error.WriteLineAsync($"draw datastores: no datastore named '{name}'.");
                    return 1;
                }

                db.Enqueue(time, WorkCommandKinds.ScanDatastore, "cli", $"{{\"datastoreId\":{datastore.Id}}}");
                await db.SaveChangesAsync(cancellationToken);
                Console.WriteLine($"scan of {name} queued; a worker runs it within a few seconds");
                return 0;
            default:
                throw new UsageException("unknown datastores command.");
        }
    }

    private static Datastore Parse(string name, string path, string[] options)
    {
        var datastore = new Datastore { Name = name, Path = Path.GetFullPath(path) };
        for (var i = 0; i < options.Length; i++)
        {
            string Value() => i + 1 < options.Length ? options[++i] : throw new UsageException($"{options[i]} needs a value.");
            switch (options[i])
            {
                case "--interval": datastore.IntervalSeconds = Number(Value(), "--interval"); break;
                case "--cron": datastore.Cron = Value(); break;
                case "--quiet": datastore.QuietPeriodSeconds = Number(Value(), "--quiet"); break;
                case "--modalities": datastore.Modalities = Value().ToUpperInvariant(); break;
                case "--pull-from":
                    datastore.PullWindowStart = DateTime.TryParseExact(Value(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var from)
                        ? from
                        : throw new UsageException("--pull-from takes a date as YYYY-MM-DD.");
                    break;
                case "--study-date-filter": datastore.StudyDateFilter = true; break;
                case "--include-localizers": datastore.ExcludeLocalizers = false; break;
                case "--no-recursive": datastore.Recursive = false; break;
                case "--copy-to-work": datastore.CopyToWork = true; break;
                case "--disabled": datastore.Enabled = false; break;
                default: throw new UsageException($"unknown option {options[i]}.");
            }
        }

        return datastore;
    }

    private static int Number(string value, string option) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw new UsageException($"{option} takes a whole number of seconds.");
}
