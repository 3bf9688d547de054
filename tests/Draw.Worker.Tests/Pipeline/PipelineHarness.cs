using Draw.Domain.Index;
using Draw.Domain.Persistence;
using Draw.Domain.Rules;
using Draw.Domain.Settings;
using Draw.Domain.Templates;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Catalogue;
using Draw.Testing.Database;
using Draw.Worker.Backends.DrawApi;
using Draw.Worker.Exporters;
using Draw.Worker.Health;
using Draw.Worker.Pipeline;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Worker.Tests.Pipeline;

/// <summary>
/// The worker's own pipeline registrations over a test database and a backend: index a copy of a
/// sample series, choose a template, and run the planner and runner until the series settles.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly TempFolder images = new("draw-pipeline-images");

    private PipelineHarness(TestDatabase database, ServiceProvider services)
    {
        Database = database;
        this.services = services;
    }

    public TestDatabase Database { get; }

    public string ImagesFolder => images.Path;

    public static async Task<PipelineHarness> StartAsync(string provider, IDictionary<string, string?> settings, Action<IServiceCollection>? addBackends = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Draw:Pipeline:PollIntervalSeconds"] = "1",
            ["Draw:Pipeline:BackoffBaseSeconds"] = "1",
            ["Draw:Pipeline:BackoffMaxSeconds"] = "2",
            ["Draw:Pipeline:MaxAttempts"] = "3",
        }.Concat(settings)).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton(database.DataRoot);
        collection.AddSingleton(database.Factory);
        collection.AddSingleton<WorkerIdentity>();
        collection.AddSingleton<ServiceStates>();
        collection.AddSingleton<IEventPublisher, RecordingPublisher>();
        collection.AddDrawPipeline(configuration);
        collection.AddDrawServerBackend(configuration, database.DataRoot);
        addBackends?.Invoke(collection);
        return new PipelineHarness(database, collection.BuildServiceProvider());
    }

    /// <summary>Copies <paramref name="slices"/> LUNG1 slices into the images folder and indexes them as one stable series.</summary>
    public async Task<long> IndexLungAsync(int slices)
    {
        foreach (var file in SampleSeries.Files(SampleSeries.LungCt).Take(slices))
        {
            File.Copy(file, Path.Combine(ImagesFolder, Path.GetFileName(file)));
        }

        await using var db = Database.CreateContext();
        return await SampleSeries.IndexAsync(db, ImagesFolder, take: slices);
    }

    /// <summary>Caches the backend's catalogue, saves a template from it, and chooses it for the series as a physicist would.</summary>
    public async Task<Template> ChooseTemplateAsync(long seriesId, string backend, string catalogueJson, TemplateDraft draft)
    {
        await using var db = Database.CreateContext();
        await db.RefreshAsync(JsonCatalogueSource.FromText(backend, catalogueJson), TimeProvider.System, CancellationToken.None);
        var template = await db.SaveTemplateAsync(draft, "admin", TimeProvider.System, CancellationToken.None);
        await db.ChooseTemplateAsync(TimeProvider.System, seriesId, template.Id, "physicist", CancellationToken.None);
        await db.SaveChangesAsync();
        return template;
    }

    /// <summary>Runs the pipeline until the series reaches one of <paramref name="ends"/>; returns it.</summary>
    public async Task<SeriesStatus> RunUntilAsync(long seriesId, TimeSpan timeout, params SeriesStatus[] ends)
    {
        var planner = services.GetRequiredService<JobPlanner>();
        var runner = services.GetRequiredService<JobRunner>();
        var publisher = services.GetRequiredService<IEventPublisher>();
        var deliveries = services.GetRequiredService<DeliveryRunner>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var db = Database.CreateContext())
            {
                await planner.PlanAsync(db, CancellationToken.None);
                await db.SaveAndPublishAsync(publisher, CancellationToken.None);
            }

            await runner.RunDueAsync(CancellationToken.None);
            await deliveries.RunDueAsync(CancellationToken.None);
            await using (var db = Database.CreateContext())
            {
                var status = (await db.Series.AsNoTracking().SingleAsync(s => s.Id == seriesId)).Status;
                var job = await db.SegmentationJobs.AsNoTracking().Where(j => j.SeriesId == seriesId).OrderByDescending(j => j.Id).FirstOrDefaultAsync();
                if (ends.Contains(status) && job is not null && !job.IsActive)
                {
                    return status;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"series {seriesId} stayed {status}; job at {job?.Step} ({job?.LastError})");
                }
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The worker's delivery runner, as the pipeline uses it.</summary>
    public DeliveryRunner Deliveries => services.GetRequiredService<DeliveryRunner>();

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Database.DisposeAsync();
        images.Dispose();
    }
}
