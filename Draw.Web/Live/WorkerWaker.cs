using Draw.Domain.Work;
using Draw.Web.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Draw.Web.Live;

/// <summary>Tells connected workers that work was queued. Best effort: workers also poll.</summary>
internal sealed partial class WorkerWaker(IHubContext<LiveHub> hub, ILogger<WorkerWaker> logger)
{
    public async Task WakeAsync(string reason)
    {
        try
        {
            await hub.Clients.Group(LiveHubContract.WorkersGroup).SendAsync(LiveHubContract.Wake, reason);
        }
        catch (Exception ex)
        {
            LogWakeFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake the workers; they will find the work at their next poll")]
    private partial void LogWakeFailed(Exception exception);
}
