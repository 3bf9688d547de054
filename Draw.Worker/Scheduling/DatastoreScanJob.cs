using Draw.Worker.Ingest;
using Quartz;

namespace Draw.Worker.Scheduling;

/// <summary>Quartz job: one scan of one datastore. Never two at once in this process; the database lease covers other workers.</summary>
[DisallowConcurrentExecution]
internal sealed class DatastoreScanJob(DatastoreScanner scanner) : IJob
{
    public const string DatastoreIdKey = "datastoreId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var datastoreId = context.MergedJobDataMap.GetLong(DatastoreIdKey);
        await scanner.ScanAsync(datastoreId, cancellationToken);
    }
}
