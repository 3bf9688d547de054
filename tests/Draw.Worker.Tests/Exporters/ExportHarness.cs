using Draw.Dicom.Core;
using Draw.Dicom.IO;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Testing;
using Draw.Testing.Database;
using Draw.Worker.Commands;
using Draw.Worker.Exporters;
using Draw.Worker.Health;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Worker.Tests.Exporters;

/// <summary>The worker's export registrations over a test database: queue files to destinations and run the deliveries.</summary>
internal sealed class ExportHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly TempFolder files = new("draw-export-files");

    private ExportHarness(TestDatabase database, ServiceProvider services)
    {
        Database = database;
        this.services = services;
    }

    public TestDatabase Database { get; }

    /// <summary>A tiny real RTSTRUCT (rt-utils' mock rt.dcm).</summary>
    public static string SampleRtStruct => Path.Combine(RepoPaths.DicomSamples, "github-qurit-rt-utils", "tests", "mock_data", "rt.dcm");

    public DeliveryRunner Runner => services.GetRequiredService<DeliveryRunner>();

    public CommandProcessor Commands => services.GetRequiredService<CommandProcessor>();

    public HarvestRunner Harvest => services.GetRequiredService<HarvestRunner>();

    public static async Task<ExportHarness> StartAsync(string provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton(database.DataRoot);
        collection.AddSingleton(database.Factory);
        collection.AddSingleton<WorkerIdentity>();
        collection.AddSingleton<ServiceStates>();
        collection.AddSingleton<IEventPublisher, RecordingPublisher>();
        collection.AddSingleton<Microsoft.Extensions.Options.IOptions<PipelineOptions>>(Microsoft.Extensions.Options.Options.Create(new PipelineOptions()));
        collection.AddSingleton<CommandProcessor>();
        collection.AddDrawExports();
        return new ExportHarness(database, collection.BuildServiceProvider());
    }

    /// <summary>A new runner (as after a restart) sharing the harness's services.</summary>
    public DeliveryRunner NewRunner() => ActivatorUtilities.CreateInstance<DeliveryRunner>(services);

    /// <summary>A copy of the sample RTSTRUCT with its own SOP instance and the given patient ID.</summary>
    public string RtStruct(string patientId, string? studyTime = null)
    {
        var file = DicomFile.Open(SampleRtStruct);
        var sop = DicomUidGenerator.Default.Generate();
        // Raw bytes: a hostile ID (a backslash, "..") must reach us as a real file could carry it.
        file.Dataset.SetBytes(DicomTags.PatientID, DicomVR.LO, System.Text.Encoding.ASCII.GetBytes(patientId));
        file.Dataset.SetString(DicomTags.SOPInstanceUID, sop);
        file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, sop);
        if (studyTime is not null)
        {
            file.Dataset.SetString(DicomTags.StudyTime, studyTime);
        }

        var path = Path.Combine(files.Path, sop + ".dcm");
        file.Save(path);
        return path;
    }

    public async Task<ExportDestination> AddDestinationAsync(ExportDestination destination)
    {
        await using var db = Database.CreateContext();
        return await db.SaveDestinationAsync(TimeProvider.System, destination, "test", CancellationToken.None);
    }

    public async Task<long> QueueAsync(long destinationId, string file, long? seriesId = null)
    {
        await using var db = Database.CreateContext();
        var (delivery, _) = await db.EnsureDeliveryAsync(TimeProvider.System, new DeliveryRequest(destinationId, ExportFacts.Read(file).SopInstanceUid, file, "test") { SeriesId = seriesId }, CancellationToken.None);
        await db.SaveChangesAsync();
        return delivery.Id;
    }

    /// <summary>Runs deliveries until none is pending (waiting out backoffs) or the timeout passes.</summary>
    public async Task RunUntilSettledAsync(TimeSpan timeout, DeliveryRunner? runner = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await (runner ?? Runner).RunDueAsync(CancellationToken.None);
            await using var db = Database.CreateContext();
            if (!await db.ExportDeliveries.AnyAsync(d => d.State == DeliveryState.Pending))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var pending = await db.ExportDeliveries.Where(d => d.State == DeliveryState.Pending).Select(d => d.Id + ": " + d.LastError).ToListAsync();
                throw new TimeoutException($"deliveries still pending: {string.Join("; ", pending)}");
            }

            await Task.Delay(200);
        }
    }

    public async Task<ExportDelivery> DeliveryAsync(long id)
    {
        await using var db = Database.CreateContext();
        return await db.ExportDeliveries.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    public async Task<List<ExportLedgerEntry>> LedgerAsync()
    {
        await using var db = Database.CreateContext();
        return await db.ExportLedger.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Database.DisposeAsync();
        files.Dispose();
    }
}
