using System.Text.Json;
using Draw.Domain.Export.Harvest;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Draw.Worker.Commands;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;

namespace Draw.Worker.Exporters;

/// <summary>Scans harvest sources under their lease: the enabled ones when their interval is up, or one on request.</summary>
internal sealed partial class HarvestRunner(IDbContextFactory<DrawDbContext> contexts, WorkerIdentity identity, IEventPublisher publisher, TimeProvider time, ILogger<HarvestRunner> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    public async Task<int> ScanDueAsync(CancellationToken cancellationToken)
    {
        List<long> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var sources = await db.HarvestSources.AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken);
            due = [.. sources.Where(s => s.LastScanAt is null || s.LastScanAt.Value.AddSeconds(s.IntervalSeconds) <= now).Select(s => s.Id)];
        }

        var scanned = 0;
        foreach (var id in due)
        {
            scanned += await ScanAsync(id, cancellationToken) is null ? 0 : 1;
        }

        return scanned;
    }

    /// <summary>Scans one source; null when another worker holds its lease.</summary>
    public async Task<HarvestReport?> ScanAsync(long sourceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.TryTakeHarvestLeaseAsync(sourceId, identity.Id, time.GetUtcNow().UtcDateTime, Lease, cancellationToken))
        {
            return null;
        }

        try
        {
            var source = await db.HarvestSources.AsNoTracking().Include(s => s.Destinations).SingleAsync(s => s.Id == sourceId, cancellationToken);
            var report = await new HarvestScanner(time).ScanAsync(db, source, dryRun: false, publisher, cancellationToken);
            LogScanned(source.Name, report.Files, report.Queued, report.Unreadable);
            return report;
        }
        finally
        {
            await db.ReleaseHarvestLeaseAsync(sourceId, identity.Id, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Harvest of {Source}: {Files} files, {Queued} deliveries queued, {Unreadable} unreadable")]
    private partial void LogScanned(string source, int files, int queued, int unreadable);
}

/// <summary>"Harvest now": payload {"harvestSourceId": N}.</summary>
internal sealed class HarvestNowHandler(HarvestRunner runner) : ICommandHandler
{
    public string Kind => WorkCommandKinds.HarvestNow;

    public async Task HandleAsync(WorkCommand command, DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var payload = JsonDocument.Parse(command.Payload);
        var report = await runner.ScanAsync(payload.RootElement.GetProperty("harvestSourceId").GetInt64(), cancellationToken)
            ?? throw new InvalidOperationException("That harvest source is being scanned by another worker right now.");
        command.Result = report.Summary;
    }
}

/// <summary>Thin shell: every 15 s, scan the harvest sources whose interval is up.</summary>
internal sealed partial class HarvestService(HarvestRunner runner, ServiceStates states, TimeProvider time, ILogger<HarvestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15), time);
        do
        {
            try
            {
                await runner.ScanDueAsync(stoppingToken);
                states.Set("harvest", ServiceState.Running);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                states.Set("harvest", ServiceState.FailedBecause(ex.Message));
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The harvest loop failed; retrying")]
    private partial void LogFailed(Exception exception);
}
