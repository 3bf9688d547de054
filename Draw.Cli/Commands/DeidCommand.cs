using System.Diagnostics;
using Draw.Domain.Persistence;
using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Cli.Commands;

/// <summary>`draw deid IN OUT [--profile NAME]`: de-identifies files or folders with the worker's engine, UID map and pseudonyms.</summary>
internal sealed class DeidCommand : ICommand
{
    public string Name => "deid";

    public string Summary => "de-identify DICOM files or folders (persistent UID map, PHI check of the result)";

    public string Usage => "IN OUT [--profile BACKEND]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (first, second, profile) = TwoPathArguments.Parse(args, "give IN (file or folder) and OUT (folder)");

        if (!File.Exists(first) && !Directory.Exists(first))
        {
            throw new UsageException($"'{first}' is neither a file nor a folder");
        }

        await using var services = CliServices.Build();
        var options = DeidentificationOptions.Load(services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>());
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        var deid = new DeidentificationService(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<DrawDbContext>>(), Options.Create(options),
            services.GetRequiredService<DataRoot>(), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var package = await deid.DeidentifyFolderAsync(first, second, profile, cancellationToken);
        foreach (var failure in package.Result.Failures)
        {
            Console.Error.WriteLine($"draw deid: {failure.InputPath}: {failure.Error}");
        }

        Console.WriteLine($"{package.Result.Written} file(s) de-identified into {second} in {clock.ElapsedMilliseconds} ms");
        if (!package.PhiCheck.Clean)
        {
            foreach (var finding in package.PhiCheck.Findings.Take(50))
            {
                Console.Error.WriteLine($"draw deid: PHI check: {finding}");
            }

            Console.Error.WriteLine($"draw deid: the PHI check found {package.PhiCheck.Findings.Count} surviving identifying value(s); do not send this output");
            return 1;
        }

        Console.WriteLine($"PHI check: clean ({package.PhiCheck.IdentifyingValues} identifying values of the originals looked for)");
        return package.Result.Failures.Any() ? 1 : 0;
    }
}
