using Draw.Domain.Work;

namespace Draw.Worker.Live;

internal static class LiveRegistration
{
    public static IServiceCollection AddDrawLive(this IServiceCollection services)
    {
        services.AddSingleton<LivePublisher>();
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<LivePublisher>());
        services.AddHostedService<LiveLinkService>();
        return services;
    }
}
