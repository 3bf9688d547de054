using System.Net;
using Draw.Dicom.Network.Server;
using Microsoft.Extensions.Logging;

namespace Draw.Cli.Commands;

/// <summary>`draw listen`: a small C-STORE SCP that keeps what it receives in a folder (testing and troubleshooting).</summary>
public sealed class ListenCommand : ICommand
{
    public string Name => "listen";

    public string Summary => "Run a DICOM store SCP that writes received instances to a folder";

    public string Usage => "--out DIR [--port 11112] [--aet DRAW] [--bind 127.0.0.1] [--allow-calling AET]... [--max-associations N] [--verbose]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DicomServerOptions { Port = 11112 };
        string? output = null;
        var verbose = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out": output = NetworkArgs.Value(args, ref i); break;
                case "--port": options.Port = NetworkArgs.Int(args, ref i); break;
                case "--aet": options.AeTitle = NetworkArgs.Value(args, ref i); break;
                case "--bind": options.BindAddress = IPAddress.Parse(NetworkArgs.Value(args, ref i)); break;
                case "--allow-calling": options.AllowedCallingAeTitles.Add(NetworkArgs.Value(args, ref i)); break;
                case "--max-associations": options.MaxAssociations = NetworkArgs.Int(args, ref i); break;
                case "--verbose": verbose = true; break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        if (output is null)
        {
            throw new UsageException("--out DIR is required");
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await using var server = new DicomServer(options, new FolderStoreHandler(output), loggerFactory.CreateLogger("draw.listen"));
        await server.StartAsync(stop.Token);
        Console.WriteLine($"listening as {options.AeTitle} on {options.BindAddress}:{server.Port}, writing to {Path.GetFullPath(output)}; Ctrl-C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
