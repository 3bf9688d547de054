using Draw.Domain.Index;
using Draw.Domain.Settings;
using Draw.Worker.Commands;
using Draw.Worker.Ingest.Uploads;
using Draw.Worker.Listener;
using Quartz;

namespace Draw.Worker.Ingest;

internal static class IngestRegistration
{
    public static IServiceCollection AddDrawIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDrawSetting<IngestOptions, IngestOptionsValidator>(configuration, IngestOptions.Section);
        services.AddSingleton<SeriesIndexer>();
        services.AddSingleton<DatastoreScanner>();
        services.AddSingleton<ICommandHandler, ScanNowHandler>();
        services.AddSingleton<UploadExtractor>();
        services.AddSingleton<ICommandHandler, ExtractUploadHandler>();
        services.AddHostedService<UploadExtractionService>();
        services.AddSingleton<IngestStoreHandler>();
        services.AddHostedService<ListenerService>();
        services.AddQuartz();
        return services;
    }
}
