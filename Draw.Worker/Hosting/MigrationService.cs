using Draw.Domain.Persistence;

namespace Draw.Worker.Hosting;

/// <summary>Applies pending migrations before any other service touches the database.</summary>
internal sealed class MigrationService(DatabaseMigrator migrator) : IHostedService
{
    // Hosted services start in registration order and StartAsync is awaited, so the schema is in
    // place before the heartbeat and the processors run.
    public async Task StartAsync(CancellationToken cancellationToken) => await migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
