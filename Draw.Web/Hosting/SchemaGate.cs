using Draw.Domain.Persistence;

namespace Draw.Web.Hosting;

/// <summary>
/// Holds start-up until the database has the schema this build needs; the worker (or
/// `draw migrate`) applies migrations, the dashboard never does.
/// </summary>
internal sealed class SchemaGate(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.WaitForSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
