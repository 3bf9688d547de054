using Draw.Worker.Commands;

namespace Draw.Worker.Exporters;

internal static class ExportRegistration
{
    /// <summary>The exporters, the delivery runner and its loop, harvest, and the destination test command.</summary>
    public static IServiceCollection AddDrawExports(this IServiceCollection services)
    {
        services.AddSingleton<ExportHttp>();
        services.AddSingleton<IExporter, FolderExporter>();
        services.AddSingleton<IExporter, DicomNodeExporter>();
        services.AddSingleton<IExporter, StowExporter>();
        services.AddSingleton<DeliveryRunner>();
        services.AddSingleton<HarvestRunner>();
        services.AddSingleton<ICommandHandler, DestinationTestHandler>();
        services.AddSingleton<ICommandHandler, HarvestNowHandler>();
        services.AddHostedService<DeliveryService>();
        services.AddHostedService<HarvestService>();
        return services;
    }
}
