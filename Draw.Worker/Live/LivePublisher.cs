using System.Threading.Channels;
using Draw.Domain.Work;

namespace Draw.Worker.Live;

/// <summary>
/// The worker's <see cref="IEventPublisher"/>: queues committed events without blocking the code
/// that committed them; <see cref="LiveLinkService"/> sends them to the hub. Push is best effort:
/// events are already in the change feed, and the dashboard catches up from it.
/// </summary>
internal sealed class LivePublisher : IEventPublisher
{
    // Bounded so a long hub outage cannot grow memory; the oldest undelivered batches give way.
    private readonly Channel<IReadOnlyList<LiveEvent>> queue = Channel.CreateBounded<IReadOnlyList<LiveEvent>>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Publish(IReadOnlyList<LiveEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > 0)
        {
            queue.Writer.TryWrite(events);
        }
    }

    public ChannelReader<IReadOnlyList<LiveEvent>> Reader => queue.Reader;
}
