using Draw.Worker.Commands;

namespace Draw.Worker.Scheduling;

internal static class SchedulingRegistration
{
    /// <summary>The datastore schedules (a hosted service the schedules.sync command also reaches) and the worker's test commands.</summary>
    public static IServiceCollection AddDrawScheduling(this IServiceCollection services)
    {
        services.AddSingleton<DatastoreSchedules>();
        services.AddHostedService(sp => sp.GetRequiredService<DatastoreSchedules>());
        services.AddSingleton<ICommandHandler, ScheduleSyncHandler>();
        services.AddSingleton<ICommandHandler, DatastoreTestHandler>();
        services.AddSingleton<ICommandHandler, BackendTestHandler>();
        return services;
    }
}
