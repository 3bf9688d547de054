using Draw.Domain.Work;
using Draw.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Draw.Web.Live;

/// <summary>Sends events to browser clients connected to the hub (scripts, other dashboards).</summary>
internal sealed partial class BrowserBroadcast(IHubContext<LiveHub> hub, ILogger<BrowserBroadcast> logger)
{
    public void Send(IReadOnlyList<LiveEvent> events) => _ = SendAsync(events);

    private async Task SendAsync(IReadOnlyList<LiveEvent> events)
    {
        try
        {
            foreach (var liveEvent in events)
            {
                await hub.Clients.Group(LiveHubContract.BrowsersGroup).SendAsync(LiveHubContract.Event, liveEvent);
            }
        }
        catch (Exception ex)
        {
            LogSendFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push events to browser clients")]
    private partial void LogSendFailed(Exception exception);
}
