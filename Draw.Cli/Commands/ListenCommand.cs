using System.Net;
using Draw.Dicom.Network.Server;
using Microsoft.Extensions.Logging;

namespace Draw.Cli.Commands;

/// <summary>`draw listen`: a small C-STORE SCP that keeps what it receives in a folder (testing and troubleshooting).</summary>
public sealed class ListenCommand : ICommand
{
    public string Name => "listen";

    public string Summary => "Run a DICOM store SCP that writes received instances to a folder";

    public string Usage => "--out DIR [--port 11112] [--aet DRAW] [--bind 127.0.0.1] [--allow-calling AET]... [--max-associations N] [--verbose] " + TlsArgs.Usage;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DicomServerOptions { Port = 11112 };
        string? output = null;
        var verbose = false;
        var tls = new TlsArgs();
        for (var i = 0; i < args.Length; i++)
        {
            if (tls.TryOption(args, ref i))
            {
                continue;
            }

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

        options.Tls = tls.ForServer();

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await using var server = new DicomServer(options, new FolderStoreHandler(output), loggerFactory.CreateLogger("draw.listen"));
        await server.StartAsync(stop.Token);
        Console.WriteLine($"listening as {options.AeTitle} on {options.BindAddress}:{server.Port}{(options.Tls is null ? "" : " (TLS)")}, writing to {Path.GetFullPath(output)}; Ctrl-C stops");
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

/// <summary>Option parsing shared by the DICOM network commands (echo, send, listen, find, move).</summary>
internal static class NetworkArgs
{
    public static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException($"{args[i]} needs a value");
        }

        return args[++i];
    }

    public static int Int(string[] args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"{name} needs a number, not '{text}'");
    }

    /// <summary>The common SCU options: --to HOST:PORT --aet CALLED --calling-aet CALLING --timeout SECONDS and the TLS ones. True when args[i] was one.</summary>
    public static bool TryClientOption(string[] args, ref int i, ClientArgs client)
    {
        if (client.Tls.TryOption(args, ref i))
        {
            return true;
        }

        switch (args[i])
        {
            case "--to": (client.Host, client.Port) = ParseTo(Value(args, ref i)); return true;
            case "--aet": client.CalledAe = Value(args, ref i); return true;
            case "--calling-aet": client.CallingAe = Value(args, ref i); return true;
            case "--timeout": client.TimeoutSeconds = Int(args, ref i); return true;
            default: return false;
        }
    }

    private static (string, int) ParseTo(string text)
    {
        try
        {
            return Draw.Dicom.Network.Client.DicomClientOptions.ParseEndPoint(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}

/// <summary>Where an SCU command connects.</summary>
internal sealed class ClientArgs
{
    public string? Host { get; set; }

    public int Port { get; set; }

    public string CalledAe { get; set; } = "ANY-SCP";

    public string CallingAe { get; set; } = "DRAW";

    public int TimeoutSeconds { get; set; } = 60;

    public TlsArgs Tls { get; } = new();

    public Draw.Dicom.Network.Client.DicomClient CreateClient() => new(new Draw.Dicom.Network.Client.DicomClientOptions
    {
        Tls = Tls.ForClient(),
        Host = Host ?? throw new UsageException("--to HOST:PORT is required"),
        Port = Port,
        CalledAeTitle = CalledAe,
        CallingAeTitle = CallingAe,
        DimseTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
        AssociationTimeout = TimeSpan.FromSeconds(Math.Min(TimeoutSeconds, 30)),
    });
}
