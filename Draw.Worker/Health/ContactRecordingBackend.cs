using Draw.Domain.Segmentation;

namespace Draw.Worker.Health;

/// <summary>
/// Wraps a backend so every call's outcome lands in <see cref="BackendContacts"/>: an answer is a
/// successful contact (a busy server answered too); an exception or an unavailable server is a
/// failed one. The call itself is passed through unchanged, exceptions included.
/// </summary>
internal sealed class ContactRecordingBackend(ISegmentationBackend inner, BackendContacts contacts) : ISegmentationBackend
{
    public string Name => inner.Name;

    public bool IdempotentSubmit => inner.IdempotentSubmit;

    public Task<string> GetCatalogueJsonAsync(CancellationToken cancellationToken) => RecordAsync("catalogue", () => inner.GetCatalogueJsonAsync(cancellationToken));

    public async Task<BackendHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var health = await RecordAsync("health", () => inner.CheckHealthAsync(cancellationToken));
        if (health.State == BackendHealthState.Unavailable)
        {
            contacts.Failed(Name, "health", health.Detail ?? "unavailable");
        }

        return health;
    }

    public Task<BackendSubmission> SubmitAsync(SubmissionPackage package, CancellationToken cancellationToken) => RecordAsync("submit", () => inner.SubmitAsync(package, cancellationToken));

    public Task<BackendTaskStatus> GetStatusAsync(string taskId, CancellationToken cancellationToken) => RecordAsync("status", () => inner.GetStatusAsync(taskId, cancellationToken));

    public Task<BackendDownload> DownloadAsync(string taskId, string destinationFile, CancellationToken cancellationToken) =>
        RecordAsync("download", () => inner.DownloadAsync(taskId, destinationFile, cancellationToken));

    public Task ConfirmAsync(string taskId, CancellationToken cancellationToken) => RecordAsync("confirm", async () =>
    {
        await inner.ConfirmAsync(taskId, cancellationToken);
        return true;
    });

    private async Task<T> RecordAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            contacts.Succeeded(Name, operation);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            contacts.Failed(Name, operation, ex.Message);
            throw;
        }
    }
}

internal static class BackendContactRegistration
{
    /// <summary>
    /// Wraps every registered <see cref="ISegmentationBackend"/> in a <see cref="ContactRecordingBackend"/>,
    /// keeping its lifetime. Call after the backends are registered.
    /// </summary>
    public static IServiceCollection RecordBackendContacts(this IServiceCollection services)
    {
        services.AddSingleton<BackendContacts>();
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ISegmentationBackend) || descriptor.IsKeyedService)
            {
                continue;
            }

            Func<IServiceProvider, object> create = descriptor.ImplementationFactory
                ?? (descriptor.ImplementationInstance is { } instance
                    ? _ => instance
                    : sp => ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
            services[i] = new ServiceDescriptor(
                typeof(ISegmentationBackend),
                sp => new ContactRecordingBackend((ISegmentationBackend)create(sp), sp.GetRequiredService<BackendContacts>()),
                descriptor.Lifetime);
        }

        return services;
    }
}
