using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Commands;
using Draw.Worker.Health;
using Draw.Worker.Live.HubClient;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Live;

/// <summary>
/// Keeps the worker connected to the dashboard's hub: sends committed events (Publish) and turns
/// Wake messages into a nudge for the command processor. The worker runs on without the hub:
/// events stay in the change feed and work is found by polling.
/// </summary>
internal sealed partial class LiveLinkService(
    LivePublisher publisher,
    WakeSignal wake,
    ServiceStates states,
    IOptions<LiveOptions> options,
    LiveKey key,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<LiveLinkService> logger) : BackgroundService
{
    private const string ServiceName = "live";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clientOptions = new LiveHubClientOptions { Url = new Uri(options.Value.HubUrl), TimeProvider = time };
        clientOptions.Headers[LiveHubContract.WorkerKeyHeader] = key.Value;
        await using var client = new LiveHubClient(clientOptions, loggers.CreateLogger<LiveHubClient>());
        using var onWake = client.On<string>(LiveHubContract.Wake, _ =>
        {
            wake.Wake();
            return Task.CompletedTask;
        });
        client.Reconnecting += _ => SetState(ServiceState.Connecting);
        client.Reconnected += _ =>
        {
            // Work may have been queued while we were away.
            wake.Wake();
            return SetState(ServiceState.Running);
        };

        // A server that closes the connection without allowing reconnects (an abort) would leave
        // the client closed for good; the worker always wants its link back.
        client.Closed += closedBecause =>
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                _ = ConnectAsync(client, stoppingToken);
            }

            return Task.CompletedTask;
        };

        if (!await ConnectAsync(client, stoppingToken))
        {
            return;
        }

        try
        {
            await foreach (var batch in publisher.Reader.ReadAllAsync(stoppingToken))
            {
                await PushAsync(client, batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the services that stopped before us (heartbeat) queued their last
            // events; deliver them before the connection closes.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);
            while (publisher.Reader.TryRead(out var batch))
            {
                await PushAsync(client, batch, drain.Token);
            }
        }
    }

    /// <summary>Connects, retrying until the hub answers; false when the hub refuses the key.</summary>
    private async Task<bool> ConnectAsync(LiveHubClient client, CancellationToken stoppingToken)
    {
        states.Set(ServiceName, ServiceState.Connecting);
        try
        {
            await client.StartWithRetryAsync(stoppingToken);
        }
        catch (HubConnectionException ex) when (ex.IsAuthenticationFailure)
        {
            states.Set(ServiceName, ServiceState.FailedBecause("the hub refused the worker key (Draw:Live:SharedKey)"));
            LogRefused(options.Value.HubUrl);
            return false;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }

        states.Set(ServiceName, ServiceState.Running);
        LogConnected(options.Value.HubUrl);
        wake.Wake();
        return true;
    }

    private async Task PushAsync(LiveHubClient client, IReadOnlyList<LiveEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(LiveHubContract.Publish, [batch], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Best effort: the events are committed; the dashboard catches up from the change feed.
            LogPushFailed(batch.Count, ex.Message);
        }
    }

    private Task SetState(string state)
    {
        states.Set(ServiceName, state);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the live hub at {HubUrl}")]
    private partial void LogConnected(string hubUrl);

    [LoggerMessage(Level = LogLevel.Error, Message = "The live hub at {HubUrl} refused this worker's key; check Draw:Live:SharedKey on both sides")]
    private partial void LogRefused(string hubUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Count} event(s) to the hub ({Reason}); the dashboard reads them from the change feed")]
    private partial void LogPushFailed(int count, string reason);
}
