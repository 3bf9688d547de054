using System.Net;
using System.Threading.Channels;
using Draw.Dicom.Network.Server;
using Draw.Domain.Ingest;
using Draw.Domain.Persistence;
using Draw.Domain.Settings;
using Draw.Domain.Work;
using Draw.Worker.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Draw.Worker.Listener;

/// <summary>
/// Runs the DICOM C-STORE listener from Draw:Listener settings and records every association
/// (who, how many, how much, how long, how it ended). The server raises its events on the
/// association's own task; they are queued here and written by this service's loop.
/// </summary>
internal sealed partial class ListenerService(
    IngestStoreHandler handler,
    IOptions<ListenerOptions> options,
    IDbContextFactory<DrawDbContext> contexts,
    IEventPublisher publisher,
    ServiceStates states,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<ListenerService> logger) : BackgroundService
{
    private const string ServiceName = "listener";
    private readonly Channel<ListenerAssociation> ended = Channel.CreateUnbounded<ListenerAssociation>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            states.Set(ServiceName, ServiceState.Disabled);
            return;
        }

        await using var server = new DicomServer(ServerOptions(settings), handler, loggers.CreateLogger<DicomServer>());
        server.AssociationClosed += (_, e) => ended.Writer.TryWrite(new ListenerAssociation
        {
            CallingAe = e.Association.CallingAeTitle,
            CalledAe = e.Association.CalledAeTitle,
            RemoteAddress = e.Association.RemoteEndPoint?.ToString() ?? "",
            StartedAt = e.Association.StartedAt.UtcDateTime,
            EndedAt = (e.Association.StartedAt + e.Duration).UtcDateTime,
            InstancesStored = e.InstancesStored,
            InstancesFailed = e.InstancesFailed,
            Bytes = e.BytesReceived,
            Result = e.Reason is null ? e.Outcome.ToString().ToLowerInvariant() : $"{e.Outcome.ToString().ToLowerInvariant()}: {e.Reason}",
        });
        server.AssociationRejected += (_, e) => ended.Writer.TryWrite(new ListenerAssociation
        {
            CallingAe = e.CallingAeTitle,
            CalledAe = e.CalledAeTitle,
            RemoteAddress = e.RemoteEndPoint?.ToString() ?? "",
            StartedAt = time.GetUtcNow().UtcDateTime,
            EndedAt = time.GetUtcNow().UtcDateTime,
            Result = $"rejected: {e.Rejection}",
        });

        try
        {
            await server.StartAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            states.Set(ServiceName, ServiceState.FailedBecause($"cannot listen on {settings.BindAddress}:{settings.Port}: {ex.Message}"));
            LogCannotListen(settings.BindAddress, settings.Port, ex.Message);
            return;
        }

        states.Set(ServiceName, $"{ServiceState.Running} ({settings.AeTitle} on {settings.BindAddress}:{server.Port})");
        LogListening(settings.AeTitle, settings.BindAddress, server.Port);
        try
        {
            await foreach (var association in ended.Reader.ReadAllAsync(stoppingToken))
            {
                await RecordAsync(association, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; DisposeAsync closes the server.
        }
    }

    private async Task RecordAsync(ListenerAssociation association, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.ListenerAssociations.Add(association);
            db.Append(time, EventKinds.AssociationEnded, new
            {
                calling = association.CallingAe,
                peer = association.RemoteAddress,
                stored = association.InstancesStored,
                failed = association.InstancesFailed,
                bytes = association.Bytes,
                result = association.Result,
            });
            await db.SaveAndPublishAsync(publisher, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            LogRecordFailed(ex.Message);
        }
    }

    private static DicomServerOptions ServerOptions(ListenerOptions settings)
    {
        var server = new DicomServerOptions
        {
            AeTitle = settings.AeTitle,
            Port = settings.Port,
            BindAddress = IPAddress.Parse(settings.BindAddress),
            MaxAssociations = settings.MaxAssociations,
        };
        foreach (var title in settings.AllowedCallingAeTitles)
        {
            server.AllowedCallingAeTitles.Add(title);
        }

        foreach (var peer in settings.AllowedPeers)
        {
            server.AllowedPeers.Add(IPNetwork.TryParse(peer, out var network) ? network : new IPNetwork(IPAddress.Parse(peer), IPAddress.Parse(peer).GetAddressBytes().Length * 8));
        }

        return server;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM listener {AeTitle} on {Address}:{Port}")]
    private partial void LogListening(string aeTitle, string address, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "The DICOM listener cannot listen on {Address}:{Port}: {Reason}")]
    private partial void LogCannotListen(string address, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An association could not be recorded: {Reason}")]
    private partial void LogRecordFailed(string reason);
}
