using Draw.Worker.Commands;

namespace Draw.Worker.Matching;

internal static class MatchingRegistration
{
    /// <summary>Rule matching of stable series, and the manual choose / cancel / retry commands.</summary>
    public static IServiceCollection AddDrawMatching(this IServiceCollection services)
    {
        services.AddSingleton<SeriesMatcher>();
        services.AddSingleton<ICommandHandler, ChooseTemplateHandler>();
        services.AddSingleton<ICommandHandler, CancelSeriesHandler>();
        services.AddSingleton<ICommandHandler, RetrySeriesHandler>();
        services.AddHostedService<MatchingService>();
        return services;
    }
}
