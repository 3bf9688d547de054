using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Ingest;

/// <summary>Makes sure the upload datastore (where zip uploads are extracted) exists, with the configured timing.</summary>
internal sealed class IngestBootstrap(IDbContextFactory<DrawDbContext> contexts, DataRoot dataRoot, IOptions<IngestOptions> options, TimeProvider time) : IHostedService
{
    public const string UploadDatastoreName = "uploads";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var folder = Path.Combine(dataRoot.Path, "uploads", "extracted");
        Directory.CreateDirectory(folder);
        await db.SaveAsync(new Datastore
        {
            Name = UploadDatastoreName,
            Path = folder,
            Kind = DatastoreKind.Uploads,
            IntervalSeconds = options.Value.UploadScanIntervalSeconds,
            QuietPeriodSeconds = options.Value.UploadQuietPeriodSeconds,
        }, time, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
