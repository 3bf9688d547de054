using Draw.Domain.Export;
using Draw.Domain.Export.Harvest;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>
/// `draw harvest FOLDER --destination NAME [--dry-run]`: one scan of a results tree (DRAW RTSST's
/// run, made robust), queuing each RTSTRUCT through the same deliveries and ledger as the pipeline;
/// plus the harvest sources the workers scan on their own.
/// </summary>
internal sealed class HarvestCommand : ICommand
{
    public string Name => "harvest";

    public string Summary => "queue the RTSTRUCTs of a results folder to destinations (once each); manage harvest sources";

    public string Usage => "FOLDER --destination NAME [--destination NAME...] [--dry-run] [--quiet S] | sources | add-source NAME FOLDER --destination NAME... [--interval S] [--quiet S] [--disabled] | remove-source NAME";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        try
        {
            switch (args)
            {
                case ["sources"]:
                    foreach (var s in await db.HarvestSources.AsNoTracking().Include(s => s.Destinations).OrderBy(s => s.Name).ToListAsync(cancellationToken))
                    {
                        Console.WriteLine($"{s.Name,-24} {(s.Enabled ? $"every {s.IntervalSeconds}s" : "on request"),-14} quiet {s.QuietPeriodSeconds}s {s.Path}");
                        Console.WriteLine($"{"",-24} last scan: {s.LastScanAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never"} {s.LastScanResult}");
                    }

                    return 0;
                case ["add-source", var name, var folder, .. var options]:
                    var (source, ids, _) = await ParseAsync(db, new HarvestSource { Name = name, Path = Path.GetFullPath(folder) }, options, cancellationToken);
                    await db.SaveHarvestSourceAsync(time, source, ids, cancellationToken);
                    Console.WriteLine($"harvest source {name} saved; {(source.Enabled ? $"the workers scan it every {source.IntervalSeconds}s" : "scanned on request only")}");
                    return 0;
                case ["remove-source", var name]:
                    return await db.DeleteHarvestSourceAsync(name, cancellationToken) ? 0 : TemplatesCommand.Fail($"no harvest source named '{name}'");
                case [var folder, .. var options] when !folder.StartsWith('-'):
                    return await HarvestOnceAsync(db, time, Path.GetFullPath(folder), options, cancellationToken);
                default:
                    throw new UsageException("unknown harvest command.");
            }
        }
        catch (InvalidDestinationException ex)
        {
            return TemplatesCommand.Fail(ex.Message);
        }
    }

    /// <summary>One scan through a source kept for this folder (disabled: the workers leave it alone), so its file decisions are remembered.</summary>
    private static async Task<int> HarvestOnceAsync(DrawDbContext db, TimeProvider time, string folder, string[] options, CancellationToken cancellationToken)
    {
        var name = "cli:" + folder;
        name = name.Length > 128 ? name[..128] : name;
        var existing = await db.HarvestSources.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        var (source, ids, dryRun) = await ParseAsync(db, new HarvestSource { Name = name, Path = folder, Enabled = false, QuietPeriodSeconds = 0 }, options, cancellationToken);
        if (dryRun)
        {
            source.Id = existing?.Id ?? 0;
            source.Destinations.AddRange(ids.Select(id => new HarvestSourceDestination { DestinationId = id }));
        }
        else
        {
            source = await db.SaveHarvestSourceAsync(time, source, ids, cancellationToken);
        }

        var report = await new HarvestScanner(time).ScanAsync(db, source, dryRun, publisher: null, cancellationToken);
        foreach (var result in report.Results)
        {
            Console.WriteLine($"{result.Outcome,-12} {result.Path}{(result.Detail is null ? "" : "  (" + result.Detail + ")")}");
        }

        Console.WriteLine((dryRun ? "dry run, nothing recorded: " : "") + report.Summary);
        if (!dryRun && report.Queued > 0)
        {
            Console.WriteLine("a worker delivers the queued files within seconds; follow them with 'draw ledger'");
        }

        return report.Error is null ? 0 : 1;
    }

    private static async Task<(HarvestSource Source, List<long> DestinationIds, bool DryRun)> ParseAsync(DrawDbContext db, HarvestSource source, string[] options, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        var dryRun = false;
        for (var i = 0; i < options.Length; i++)
        {
            string Value() => i + 1 < options.Length ? options[++i] : throw new UsageException($"{options[i]} needs a value.");
            switch (options[i])
            {
                case "--destination":
                    var name = Value();
                    ids.Add(await db.ExportDestinations.Where(d => d.Name == name).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken)
                        ?? throw new UsageException($"no destination named '{name}' (see 'draw destinations list')."));
                    break;
                case "--dry-run": dryRun = true; break;
                case "--quiet": source.QuietPeriodSeconds = DestinationsCommand.Number(Value(), "--quiet"); break;
                case "--interval": source.IntervalSeconds = DestinationsCommand.Number(Value(), "--interval"); break;
                case "--disabled": source.Enabled = false; break;
                default: throw new UsageException($"unknown option {options[i]}.");
            }
        }

        return ids.Count == 0 ? throw new UsageException("name at least one --destination.") : (source, ids, dryRun);
    }
}
