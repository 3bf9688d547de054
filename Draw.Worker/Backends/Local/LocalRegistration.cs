using Draw.Domain.Segmentation;

namespace Draw.Worker.Backends.Local;

internal static class LocalRegistration
{
    public static IServiceCollection AddLocalEngineBackend(this IServiceCollection services)
    {
        services.AddSingleton<LocalBackend>();
        services.AddSingleton<ISegmentationBackend>(sp => sp.GetRequiredService<LocalBackend>());
        return services;
    }
}
