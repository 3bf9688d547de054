using System.Globalization;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw export-rules list | add DESTINATION [--template NAME] | remove ID | enable ID | disable ID`.</summary>
internal sealed class ExportRulesCommand : ICommand
{
    public string Name => "export-rules";

    public string Summary => "which destinations receive results: for every template, or for one";

    public string Usage => "list | add DESTINATION [--template NAME] | remove ID | enable ID | disable ID";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var r in await db.ListRulesAsync(cancellationToken))
                    {
                        Console.WriteLine($"{r.Id,4} {r.Destination,-20} <- {r.Template}{(r.Enabled ? "" : " (disabled)")}");
                    }

                    return 0;
                case ["add", var destinationName, .. var options]:
                    var destinationId = await db.ExportDestinations.Where(d => d.Name == destinationName).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
                    if (destinationId is null)
                    {
                        return TemplatesCommand.Fail($"no destination named '{destinationName}'");
                    }

                    long? templateId = null;
                    if (options is ["--template", var templateName])
                    {
                        templateId = await db.Templates.Where(t => t.Name == templateName).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
                        if (templateId is null)
                        {
                            return TemplatesCommand.Fail($"no template named '{templateName}'");
                        }
                    }
                    else if (options.Length > 0)
                    {
                        throw new UsageException("add takes DESTINATION [--template NAME].");
                    }

                    var rule = await db.AddRuleAsync(time, destinationId.Value, templateId, "cli", cancellationToken);
                    Console.WriteLine($"export rule {rule.Id} saved");
                    return 0;
                case ["remove", var id]:
                    await db.DeleteRuleAsync(time, Id(id), "cli", cancellationToken);
                    Console.WriteLine($"export rule {id} removed");
                    return 0;
                case ["enable" or "disable", var id]:
                    await db.SetRuleEnabledAsync(time, Id(id), args[0] == "enable", "cli", cancellationToken);
                    Console.WriteLine($"export rule {id} {args[0]}d");
                    return 0;
                default:
                    throw new UsageException("unknown export-rules command.");
            }
        }
        catch (InvalidDestinationException ex)
        {
            return TemplatesCommand.Fail(ex.Message);
        }
    }

    private static long Id(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new UsageException($"'{text}' is not a rule id (see 'draw export-rules list').");
}
