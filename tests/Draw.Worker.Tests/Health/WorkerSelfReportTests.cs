using Draw.Domain.Segmentation;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Testing.Database;
using Draw.Worker.Backends.Local;
using Draw.Worker.Health;
using Draw.Worker.Pipeline;
using Draw.Worker.Tests.Commands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Tests.Health;

/// <summary>What the heartbeat publishes beside the service states: data root space, backend contacts and masked settings.</summary>
public sealed class WorkerSelfReportTests
{
    private const string Secret = "sEcReT-token-value-42";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_heartbeat_publishes_the_data_root_space_backend_contacts_and_settings_with_secrets_masked(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Draw:DrawServer:BaseUrl"] = "https://draw.example.org/",
            ["Draw:DrawServer:BearerToken"] = Secret,
            ["Draw:DrawServer:Proxy:Password"] = Secret,
            ["Draw:Listener:AllowedCallingAeTitles:0"] = "CT1",
            ["Draw:Listener:AllowedCallingAeTitles:1"] = "MR1",
            ["Draw:Database:ConnectionString"] = "Host=db;Password=" + Secret,
            ["Draw:Deidentification:Backends:local:RetainDeviceIdentity"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database.DataRoot);
        foreach (var (type, section) in new[] { (typeof(DrawServerOptions), DrawServerOptions.Section), (typeof(ListenerOptions), ListenerOptions.Section), (typeof(DatabaseOptions), DatabaseOptions.Section), (typeof(DeidentificationOptions), DeidentificationOptions.Section) })
        {
            var options = Activator.CreateInstance(type)!;
            configuration.GetSection(section).Bind(options);
            services.AddSingleton(typeof(IOptions<>).MakeGenericType(type), typeof(Options).GetMethod(nameof(Options.Create))!.MakeGenericMethod(type).Invoke(null, [options])!);
        }

        services.AddLocalEngineBackend();
        services.AddSingleton<BackendRegistry>();
        services.AddWorkerSelfReport();
        await using var container = services.BuildServiceProvider();
        var backend = container.GetRequiredService<BackendRegistry>().Find("local")!;
        Assert.Equal(BackendHealthState.Ready, (await backend.CheckHealthAsync(CancellationToken.None)).State);

        var identity = new WorkerIdentity();
        var heartbeat = new WorkerHeartbeat(database.Factory, identity, new ServiceStates(), new RecordingPublisher(), TimeProvider.System, container.GetRequiredService<WorkerSelfReport>());
        await heartbeat.RegisterAsync(CancellationToken.None);
        await heartbeat.BeatAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        var row = await db.WorkerInstances.AsNoTracking().SingleAsync(w => w.Id == identity.Id);
        Assert.Equal(database.DataRoot.Path, row.DataRootPath);
        Assert.Equal(new DriveInfo(database.DataRoot.Path).TotalSize, row.DataRootTotalBytes);
        Assert.InRange(row.DataRootFreeBytes ?? 0, 1, row.DataRootTotalBytes ?? 0);

        var contact = Assert.Single(WorkerReports.Parse<BackendContact>(row.Backends));
        Assert.Equal(("local", BackendContactState.Healthy, "health"), (contact.Backend, contact.State, contact.LastOperation));

        Assert.DoesNotContain(Secret, row.Configuration, StringComparison.Ordinal);
        var settings = WorkerReports.Parse<SettingEntry>(row.Configuration).ToDictionary(s => $"{s.Section}:{s.Key}");
        Assert.Equal("https://draw.example.org/", settings["DrawServer:BaseUrl"].Value);
        Assert.Equal((WorkerReports.MaskedValue, true), (settings["DrawServer:BearerToken"].Value, settings["DrawServer:BearerToken"].Secret));
        Assert.Equal("", settings["DrawServer:RefreshToken"].Value);
        Assert.Equal(WorkerReports.MaskedValue, settings["DrawServer:Proxy:Password"].Value);
        Assert.Equal("Draw__DrawServer__Proxy__Password", settings["DrawServer:Proxy:Password"].EnvironmentVariable);
        Assert.Equal(WorkerReports.MaskedValue, settings["Database:ConnectionString"].Value);
        Assert.Equal("CT1, MR1", settings["Listener:AllowedCallingAeTitles"].Value);
        Assert.Equal("true", settings["Deidentification:Backends:local:RetainDeviceIdentity"].Value);
        Assert.Equal("false", settings["Deidentification:Default:RetainDeviceIdentity"].Value);
    }
}
