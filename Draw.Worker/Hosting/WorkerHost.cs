using System.Net;
using Microsoft.AspNetCore.Hosting;
using Draw.Domain.Logging;
using Draw.Domain.Persistence;
using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Backends.DrawApi;
using Draw.Worker.Commands;
using Draw.Worker.Health;
using Draw.Worker.Ingest;
using Draw.Worker.Live;
using Draw.Worker.Pipeline;
using Draw.Worker.Scheduling;
using Quartz;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Hosting;

/// <summary>Builds the worker: settings, logging, database, live link, services, and /health on loopback.</summary>
internal static class WorkerHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddDrawCommonSettings(configuration);
        services.AddDrawSetting<WorkerOptions, WorkerOptionsValidator>(configuration, WorkerOptions.Section);
        services.AddDrawSetting<ListenerOptions, ListenerOptionsValidator>(configuration, ListenerOptions.Section);

        var dataRoot = new DataRoot(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.DataRoot ?? new StorageOptions().DataRoot);
        builder.Logging.AddDrawLogging(dataRoot, "worker");

        services.AddSingleton(TimeProvider.System);
        services.AddDrawServerBackend(configuration, dataRoot);
        services.AddSingleton<LogMask>();
        services.AddDrawDatabase();
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<ServiceStates>();
        services.AddSingleton<WorkerHeartbeat>();
        services.AddSingleton<WakeSignal>();
        services.AddSingleton<CommandProcessor>();
        services.AddSingleton<ICommandHandler, PingHandler>();
        services.AddDrawLive();

        // Hosted services start in this order: the schema first, then whatever uses it.
        services.AddHostedService<MigrationService>();
        services.AddDrawIngest(configuration);
        Matching.MatchingRegistration.AddDrawMatching(services);
        services.AddDrawPipeline(configuration);
        services.AddWorkerSelfReport();
        services.AddHostedService<IngestBootstrap>();
        services.AddHostedService<HeartbeatService>();
        services.AddHostedService<CommandProcessorService>();
        services.AddHostedService<CompletionService>();
        services.AddDrawScheduling();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var healthPort = configuration.GetValue<int?>($"{WorkerOptions.Section}:HealthPort") ?? new WorkerOptions().HealthPort;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // An invalid port is reported by the options validation; do not let Kestrel fail first.
            if (healthPort is >= 1 and <= 65535)
            {
                kestrel.Listen(IPAddress.Loopback, healthPort);
            }
        });

        var app = builder.Build();
        app.MapWorkerHealth();
        return app;
    }

    /// <summary>Validates every options class before anything else starts.</summary>
    public static void ValidateSettings(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LiveOptions>>().Value;
        _ = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ListenerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<IngestOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DrawServerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        _ = services.GetRequiredService<IEventPublisher>();
    }
}
