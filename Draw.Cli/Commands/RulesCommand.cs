using System.Text.Json;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw rules ...`: rule groups, the rule test, the tag picker, and manual choose / cancel / retry.</summary>
internal sealed class RulesCommand : ICommand
{
    public string Name => "rules";

    public string Summary => "rule groups (list, show, import, delete, test), tag search, and manual choose/cancel/retry of a series";

    public string Usage => "list | show NAME | import GROUP.json [--replace] | delete NAME | test NAME (--series SERIES_UID | --file FILE.dcm) | tags QUERY"
        + " | choose SERIES_UID TEMPLATE --user USER | cancel SERIES_UID --user USER | retry SERIES_UID --user USER";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is ["tags", .. var words] && words.Length > 0)
        {
            foreach (var tag in TagSearch.Find(string.Join(' ', words)))
            {
                Console.WriteLine($"{tag.Tag} {tag.VR} {tag.Keyword,-40} {tag.Name}");
            }

            return 0;
        }

        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var g in await db.RuleGroups.AsNoTracking().Include(g => g.Template).OrderBy(g => g.Name).ToListAsync(cancellationToken))
                    {
                        Console.WriteLine($"{g.Name,-24} -> {g.Template?.Name,-24} priority {g.Priority?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {(g.Enabled ? "" : "(disabled)")}");
                    }

                    return 0;
                case ["show", var name]:
                    var group = await FindAsync(db, name, cancellationToken);
                    if (group is null)
                    {
                        return TemplatesCommand.Fail($"no rule group named '{name}'");
                    }

                    var compiled = RuleCompiler.Compile(group);
                    Console.WriteLine($"{group.Name}: {Precedence.Describe([.. compiled.RuleSets.Select(s => $"[{s.Name}]")], [.. compiled.RuleSets.Select(s => s.Join)])}");
                    foreach (var set in compiled.RuleSets)
                    {
                        Console.WriteLine($"  {(set == compiled.RuleSets[0] ? "" : set.Join.ToString().ToUpperInvariant() + " ")}[{set.Name}]");
                        foreach (var rule in set.Rules)
                        {
                            Console.WriteLine($"    {(rule == set.Rules[0] ? "" : rule.Join.ToString().ToUpperInvariant() + " ")}{rule.Describe()}");
                        }
                    }

                    return 0;
                case ["import", var file, .. var options]:
                    var spec = JsonSerializer.Deserialize<GroupFile>(await File.ReadAllTextAsync(file, cancellationToken), TemplatesCommand.Json)
                        ?? throw new UsageException("the file holds no rule group.");
                    var templateId = await db.Templates.Where(t => t.Name == spec.Template).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
                    if (templateId is null)
                    {
                        return TemplatesCommand.Fail($"no template named '{spec.Template}'");
                    }

                    var existing = await db.RuleGroups.Where(g => g.Name == spec.Name).Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellationToken);
                    if (existing is not null && !options.Contains("--replace"))
                    {
                        return TemplatesCommand.Fail($"a rule group named '{spec.Name}' exists; add --replace to update it");
                    }

                    var draft = new RuleGroupDraft { Name = spec.Name, Description = spec.Description, TemplateId = templateId.Value, Priority = spec.Priority, Enabled = spec.Enabled, RuleSets = spec.RuleSets };
                    var saved = await db.SaveRuleGroupAsync(draft, "cli", time, cancellationToken, existing);
                    Console.WriteLine($"rule group {saved.Name} saved");
                    return 0;
                case ["delete", var name]:
                    var id = await db.RuleGroups.Where(g => g.Name == name).Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellationToken);
                    if (id is null)
                    {
                        return TemplatesCommand.Fail($"no rule group named '{name}'");
                    }

                    await db.DeleteRuleGroupAsync(id.Value, "cli", time, cancellationToken);
                    Console.WriteLine($"rule group {name} deleted");
                    return 0;
                case ["test", _, "--series" or "--file", _]:
                    var tested = await FindAsync(db, args[1], cancellationToken);
                    if (tested is null)
                    {
                        return TemplatesCommand.Fail($"no rule group named '{args[1]}'");
                    }

                    RuleGroupResult result;
                    if (args[2] == "--file")
                    {
                        result = RuleTester.TestFile(tested, args[3]);
                    }
                    else
                    {
                        var seriesId = await SeriesIdAsync(db, args[3], cancellationToken);
                        result = await db.TestSeriesAsync(tested, seriesId, cancellationToken);
                    }

                    Print(result);
                    return result.Matched ? 0 : 3;
                case ["choose", var uid, var template, "--user", var user]:
                    var chosen = await db.Templates.Where(t => t.Name == template).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
                    if (chosen is null)
                    {
                        return TemplatesCommand.Fail($"no template named '{template}'");
                    }

                    return await QueueAsync(db, time, WorkCommandKinds.ChooseTemplate, user, $"{{\"seriesId\":{await SeriesIdAsync(db, uid, cancellationToken)},\"templateId\":{chosen}}}", cancellationToken);
                case ["cancel", var uid, "--user", var user]:
                    return await QueueAsync(db, time, WorkCommandKinds.CancelSeries, user, $"{{\"seriesId\":{await SeriesIdAsync(db, uid, cancellationToken)}}}", cancellationToken);
                case ["retry", var uid, "--user", var user]:
                    return await QueueAsync(db, time, WorkCommandKinds.RetrySeries, user, $"{{\"seriesId\":{await SeriesIdAsync(db, uid, cancellationToken)}}}", cancellationToken);
                default:
                    throw new UsageException("unknown rules command.");
            }
        }
        catch (Exception ex) when (ex is RuleValidationException or SeriesDecisionException or JsonException or IOException or Dicom.Core.DicomFormatException)
        {
            return TemplatesCommand.Fail(ex is RuleValidationException invalid ? string.Join(Environment.NewLine + "  ", ["the rule group is not valid:", .. invalid.Errors]) : ex.Message);
        }
    }

    private static void Print(RuleGroupResult result)
    {
        Console.WriteLine($"{result.Name}: {(result.Matched ? "MATCHES" : "does not match")}   {result.Expression}");
        foreach (var set in result.RuleSets)
        {
            Console.WriteLine($"  [{set.Name}] {(set.Matched ? "true" : "false")}   {set.Expression}");
            foreach (var rule in set.Rules)
            {
                var found = rule.Found.Count > 0 ? string.Join(" | ", rule.Found) : rule.Note ?? "";
                Console.WriteLine($"    rule {rule.Position}: {(rule.Matched ? "true " : "false")} {rule.Tag} {rule.Operator} {rule.Value}   found: {found}");
            }
        }
    }

    private static async Task<int> QueueAsync(DrawDbContext db, TimeProvider time, string kind, string user, string payload, CancellationToken cancellationToken)
    {
        db.Enqueue(time, kind, user, payload);
        await db.SaveChangesAsync(cancellationToken);
        Console.WriteLine($"{kind} queued for {user}; a worker runs it within a few seconds");
        return 0;
    }

    private static async Task<long> SeriesIdAsync(DrawDbContext db, string uid, CancellationToken cancellationToken) =>
        await db.Series.Where(s => s.SeriesInstanceUid == uid).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken)
        ?? throw new SeriesDecisionException($"no indexed series with Series Instance UID {uid}");

    private static async Task<RuleGroup?> FindAsync(DrawDbContext db, string name, CancellationToken cancellationToken)
    {
        var id = await db.RuleGroups.Where(g => g.Name == name).Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellationToken);
        return id is null ? null : await db.LoadRuleGroupAsync(id.Value, cancellationToken);
    }

    /// <summary>The import file: a rule group naming its template.</summary>
    private sealed record GroupFile(string Name, string Template, string? Description, int? Priority, IReadOnlyList<RuleSetDraft> RuleSets, bool Enabled = true);
}
