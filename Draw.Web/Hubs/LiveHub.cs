using Draw.Domain.Users;
using Draw.Domain.Work;
using Draw.Web.Identity;
using Draw.Web.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;

namespace Draw.Web.Hubs;

/// <summary>
/// The live hub at /hubs/live. Workers (shared key) publish committed events and receive wakes;
/// browsers (login cookie) receive events.
/// </summary>
[Authorize(AuthenticationSchemes = AuthenticationSchemes)]
internal sealed class LiveHub(LiveEventNotifier notifier) : Hub
{
    public const string AuthenticationSchemes = "Identity.Application," + WorkerKeyAuthenticationHandler.SchemeName;

    public override async Task OnConnectedAsync()
    {
        var group = IsWorker ? LiveHubContract.WorkersGroup : LiveHubContract.BrowsersGroup;
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        await base.OnConnectedAsync();
    }

    /// <summary>Called by workers after they commit events.</summary>
    public void Publish(LiveEvent[] events)
    {
        if (!IsWorker)
        {
            throw new HubException("Only workers publish events.");
        }

        notifier.Publish(events);
    }

    private bool IsWorker => Context.User?.IsInRole(DrawRoles.Worker) == true;

    // Keeps the cookie scheme name in one place with Identity's constant.
    internal static readonly string CookieScheme = IdentityConstants.ApplicationScheme;
}
