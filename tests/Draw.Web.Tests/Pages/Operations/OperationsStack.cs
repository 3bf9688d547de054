using Draw.Domain.Ingest;
using Draw.Domain.Rules;
using Draw.Domain.Templates;
using Draw.Testing;
using Draw.Testing.Processes;
using Microsoft.EntityFrameworkCore;

namespace Draw.Web.Tests.Pages.Operations;

/// <summary>Set-up the operations pages' tests share: a datastore of LUNG1 slices and the local engine's template and rule.</summary>
internal static class OperationsStack
{
    public const string Lung1Images = "github-mirp-NSCLC-LUNG1-001/test/data/ct_images_seg_nsclc/LUNG1-001/image";

    /// <summary>Copies the first <paramref name="slices"/> LUNG1-001 CT slices into <paramref name="folder"/>/lung.</summary>
    public static void CopyLungSlices(string folder, int slices)
    {
        var target = Path.Combine(folder, "lung");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.DicomSamples, Lung1Images)).Order(StringComparer.Ordinal).Take(slices))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    /// <summary>What `draw demo setup` prepares: a template on the local engine and a rule sending every CT to it.</summary>
    public static async Task SetUpLocalEngineRuleAsync(DrawStack stack)
    {
        await Eventually.ValueAsync(
            async () =>
            {
                await using var db = stack.Database.CreateContext();
                return await db.CachedCatalogueAsync("local", CancellationToken.None);
            },
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(200),
            () => Task.FromResult($"the worker did not cache the local catalogue\n{stack.Logs}"));
        await using var context = stack.Database.CreateContext();
        var template = await context.SaveTemplateAsync(new TemplateDraft
        {
            Name = "Body and lungs (local)",
            Backend = "local",
            Structures =
            [
                new StructureChoice(9001, 1, "External", "0\\255\\0", "EXTERNAL"),
                new StructureChoice(9001, 2, "Lung-Left", "255\\255\\0", "ORGAN"),
                new StructureChoice(9001, 3, "Lung-Right", "0\\255\\255", "ORGAN"),
            ],
        }, "test", TimeProvider.System, CancellationToken.None);
        await context.SaveRuleGroupAsync(new RuleGroupDraft
        {
            Name = "CT to the local engine",
            TemplateId = template.Id,
            RuleSets = [new RuleSetDraft("CT images", [new RuleDraft("Modality", RuleOperator.EqualTo, "CT")])],
        }, "test", TimeProvider.System, CancellationToken.None);
    }

    public static async Task<Datastore> AddDatastoreAsync(DrawStack stack, string name, string path, int intervalSeconds)
    {
        await using var db = stack.Database.CreateContext();
        return await db.SaveAsync(new Datastore { Name = name, Path = path, IntervalSeconds = intervalSeconds, QuietPeriodSeconds = 0 }, TimeProvider.System, CancellationToken.None);
    }

    public static async Task<int> RunCountAsync(DrawStack stack, long datastoreId)
    {
        await using var db = stack.Database.CreateContext();
        return await db.DatastoreRuns.CountAsync(r => r.DatastoreId == datastoreId);
    }
}
