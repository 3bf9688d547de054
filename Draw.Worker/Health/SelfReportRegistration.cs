namespace Draw.Worker.Health;

internal static class SelfReportRegistration
{
    /// <summary>What the heartbeat reports beside the service states. Call after the backends are registered (it wraps them).</summary>
    public static IServiceCollection AddWorkerSelfReport(this IServiceCollection services)
    {
        services.RecordBackendContacts();
        services.AddSingleton<DataRootSpace>();
        services.AddSingleton<EffectiveSettings>();
        services.AddSingleton<WorkerSelfReport>();
        return services;
    }
}
