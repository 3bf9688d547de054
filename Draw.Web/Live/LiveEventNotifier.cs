using Draw.Domain.Work;

namespace Draw.Web.Live;

/// <summary>
/// Fans committed events out to the dashboard's circuits (each subscribes while its page is open)
/// and to browser clients of the hub. Also the web's own <see cref="IEventPublisher"/>.
/// </summary>
internal sealed partial class LiveEventNotifier(BrowserBroadcast browsers, ILogger<LiveEventNotifier> logger) : IEventPublisher
{
    private readonly Lock gate = new();
    private readonly HashSet<Subscription> subscriptions = [];

    public IDisposable Subscribe(Func<IReadOnlyList<LiveEvent>, Task> callback)
    {
        var subscription = new Subscription(this, callback);
        lock (gate)
        {
            subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Publish(IReadOnlyList<LiveEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Subscription[] current;
        lock (gate)
        {
            current = [.. subscriptions];
        }

        foreach (var subscription in current)
        {
            _ = DeliverAsync(subscription, events);
        }

        browsers.Send(events);
    }

    private async Task DeliverAsync(Subscription subscription, IReadOnlyList<LiveEvent> events)
    {
        try
        {
            await subscription.Callback(events);
        }
        catch (Exception ex)
        {
            // One broken circuit must not stop the others from getting events.
            LogDeliveryFailed(ex);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (gate)
        {
            subscriptions.Remove(subscription);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dashboard circuit failed to take live events")]
    private partial void LogDeliveryFailed(Exception exception);

    private sealed class Subscription(LiveEventNotifier owner, Func<IReadOnlyList<LiveEvent>, Task> callback) : IDisposable
    {
        public Func<IReadOnlyList<LiveEvent>, Task> Callback { get; } = callback;

        public void Dispose() => owner.Remove(this);
    }
}
