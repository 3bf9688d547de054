using System.Globalization;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw ledger [--search X] [--failed] [--limit N] [--csv FILE] | reexport ENTRY --user NAME | retry ENTRY --user NAME`.</summary>
internal sealed class LedgerCommand : ICommand
{
    public string Name => "ledger";

    public string Summary => "the export ledger: search, CSV, and a person's re-export or retry";

    public string Usage => "[--search TEXT] [--failed] [--limit N] [--csv FILE] | reexport ENTRY_ID --user NAME | retry ENTRY_ID --user NAME";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        if (args is [("reexport" or "retry") and var action, var entryText, "--user", var user])
        {
            var entryId = Id(entryText);
            var entry = await db.ExportLedger.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
            if (entry is null)
            {
                return TemplatesCommand.Fail($"no ledger entry {entryText}");
            }

            try
            {
                if (action == "reexport")
                {
                    await db.RequestReexportAsync(time, entry.DestinationId, entry.SopInstanceUid, user, cancellationToken);
                }
                else
                {
                    var delivery = await db.ExportDeliveries.SingleAsync(d => d.Id == entry.DeliveryId, cancellationToken);
                    if (delivery.State != DeliveryState.Failed)
                    {
                        return TemplatesCommand.Fail($"entry {entryText} did not fail; use reexport to send it again");
                    }

                    db.Retry(time, delivery, user);
                }

                await db.SaveChangesAsync(cancellationToken);
                Console.WriteLine($"{action} of entry {entryText} to {entry.DestinationName} queued; a worker runs it within seconds");
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                return TemplatesCommand.Fail(ex.Message);
            }
        }

        var filter = new LedgerFilter();
        var limit = 50;
        string? csv = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--search": filter = filter with { Search = Value() }; break;
                case "--failed": filter = filter with { Result = LedgerResult.Failed }; break;
                case "--limit": limit = DestinationsCommand.Number(Value(), "--limit"); break;
                case "--csv": csv = Value(); break;
                default: throw new UsageException($"unknown option {args[i]}.");
            }
        }

        if (csv is not null)
        {
            await using var writer = new StreamWriter(csv, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            await LedgerCsv.WriteAsync(writer, db.Filtered(filter).AsAsyncEnumerable(), cancellationToken);
            Console.WriteLine($"ledger written to {csv}");
            return 0;
        }

        var page = await db.SearchLedgerAsync(filter, 0, limit, cancellationToken);
        foreach (var e in page.Entries)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Id,5} {e.ExportedAt:yyyy-MM-dd HH:mm:ss} {e.Result,-9} {e.DestinationName,-16} {e.PatientId,-12} {e.FileName ?? e.SopInstanceUid} -> {e.Target}{(e.Error is null ? "" : "  " + e.Error)}"));
        }

        Console.WriteLine($"{page.Entries.Count} of {page.Total} entries");
        return 0;
    }

    private static long Id(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new UsageException($"'{text}' is not a ledger entry id.");
}
