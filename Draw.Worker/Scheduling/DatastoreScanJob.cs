using Draw.Domain.Persistence;
using Draw.Worker.Ingest;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Draw.Worker.Scheduling;

/// <summary>
/// Quartz job: one scan of one datastore. Never two at once in this process; the database lease
/// covers other workers. A datastore paused or disabled since the last sync is skipped at once,
/// without waiting for the sync to remove the job.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DatastoreScanJob(DatastoreScanner scanner, IDbContextFactory<DrawDbContext> contexts) : IJob
{
    public const string DatastoreIdKey = "datastoreId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var datastoreId = context.MergedJobDataMap.GetLong(DatastoreIdKey);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Datastores.AnyAsync(d => d.Id == datastoreId && d.Enabled && !d.Paused, cancellationToken))
            {
                return;
            }
        }

        await scanner.ScanAsync(datastoreId, cancellationToken);
    }
}
