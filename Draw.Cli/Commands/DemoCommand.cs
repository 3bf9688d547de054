using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>
/// `draw demo setup`: what ./run.sh prepares for a newcomer: the template "Body and lungs (local)"
/// on the built-in engine and a rule group that sends every CT to it. Waits for the worker to
/// cache the local engine's catalogue; changes nothing that already exists.
/// </summary>
internal sealed class DemoCommand : ICommand
{
    public const string TemplateName = "Body and lungs (local)";
    public const string RuleGroupName = "CT to body and lungs (local)";

    public string Name => "demo";

    public string Summary => "set up the demo template and rule (the built-in local engine, every CT)";

    public string Usage => "setup [--wait SECONDS]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var wait = args switch
        {
            ["setup"] => 120,
            ["setup", "--wait", var seconds] when int.TryParse(seconds, out var s) => s,
            _ => throw new UsageException("say 'setup'."),
        };

        await using var services = CliServices.Build();
        var contexts = services.GetRequiredService<IDbContextFactory<DrawDbContext>>();
        var time = services.GetRequiredService<TimeProvider>();
        var deadline = DateTime.UtcNow.AddSeconds(wait);
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (await db.CachedCatalogueAsync("local", cancellationToken) is not null)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                await Console.Error.WriteLineAsync("draw demo: the worker has not cached the local engine's catalogue yet; is Draw.Worker running?");
                return 1;
            }

            await Task.Delay(1000, cancellationToken);
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var template = await db.Templates.FirstOrDefaultAsync(t => t.Name == TemplateName, cancellationToken)
                ?? await db.SaveTemplateAsync(new TemplateDraft
                {
                    Name = TemplateName,
                    Description = "External, Lung-Left and Lung-Right from the built-in engine: works with no server.",
                    Backend = "local",
                    Structures =
                    [
                        new StructureChoice(9001, 1, "External", "0\\255\\0", "EXTERNAL"),
                        new StructureChoice(9001, 2, "Lung-Left", "255\\255\\0", "ORGAN"),
                        new StructureChoice(9001, 3, "Lung-Right", "0\\255\\255", "ORGAN"),
                    ],
                }, "demo", time, cancellationToken);
            if (!await db.RuleGroups.AnyAsync(g => g.Name == RuleGroupName, cancellationToken))
            {
                await db.SaveRuleGroupAsync(new RuleGroupDraft
                {
                    Name = RuleGroupName,
                    TemplateId = template.Id,
                    RuleSets = [new RuleSetDraft("CT images", [new RuleDraft("Modality", RuleOperator.EqualTo, "CT")])],
                }, "demo", time, cancellationToken);
            }
        }

        Console.WriteLine($"demo ready: template '{TemplateName}', rule group '{RuleGroupName}'");
        return 0;
    }
}
