using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Draw.Worker.Backends.Local;
using Draw.Worker.Exporters;
using Draw.Worker.Pipeline.Steps;

namespace Draw.Worker.Pipeline;

internal static class PipelineRegistration
{
    public static IServiceCollection AddDrawPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDrawSetting<PipelineOptions, PipelineOptionsValidator>(configuration, PipelineOptions.Section);
        services.AddDrawPrivacy(configuration);
        services.AddSingleton<BackendRegistry>();
        services.AddSingleton<JobPlanner>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<IPipelineStep, PackageStep>();
        services.AddSingleton<IPipelineStep, SubmitStep>();
        services.AddSingleton<IPipelineStep, PollStep>();
        services.AddSingleton<IPipelineStep, DownloadStep>();
        services.AddSingleton<IPipelineStep, ReidentifyStep>();
        services.AddSingleton<IPipelineStep, ConfirmStep>();
        services.AddSingleton<IPipelineStep, ExportStep>();
        services.AddDrawExports();
        services.AddLocalEngineBackend();
        services.AddHostedService<CatalogueRefreshService>();
        services.AddHostedService<PipelineService>();
        return services;
    }
}
