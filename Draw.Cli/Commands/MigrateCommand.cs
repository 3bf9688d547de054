using Draw.Domain.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw migrate`: applies the database migrations this build knows.</summary>
internal sealed class MigrateCommand : ICommand
{
    public string Name => "migrate";

    public string Summary => "apply database migrations (the worker also does this at start-up)";

    public string Usage => "[--status]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var statusOnly = args.Contains("--status");
        if (args.Any(a => a != "--status"))
        {
            throw new UsageException($"unexpected argument '{args.First(a => a != "--status")}'.");
        }

        await using var services = CliServices.Build();
        var migrator = services.GetRequiredService<DatabaseMigrator>();
        if (statusOnly)
        {
            var current = await migrator.CurrentVersionAsync(cancellationToken);
            Console.WriteLine($"schema: {current ?? "none"}; this build needs {DatabaseMigrator.RequiredVersion}");
            return current == DatabaseMigrator.RequiredVersion ? 0 : 1;
        }

        var applied = await migrator.MigrateAsync(cancellationToken);
        Console.WriteLine(applied.Count == 0
            ? $"schema is current ({DatabaseMigrator.RequiredVersion})"
            : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
        return 0;
    }
}
