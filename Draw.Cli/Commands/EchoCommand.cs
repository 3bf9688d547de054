using Draw.Dicom.Network.Association;

namespace Draw.Cli.Commands;

/// <summary>`draw echo`: C-ECHO a DICOM peer (is it there, does it accept our AE titles?).</summary>
public sealed class EchoCommand : ICommand
{
    public string Name => "echo";

    public string Summary => "Send a DICOM C-ECHO to a peer";

    public string Usage => "--to HOST:PORT [--aet CALLED] [--calling-aet CALLING] [--timeout SECONDS] " + TlsArgs.Usage;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var target = new ClientArgs();
        for (var i = 0; i < args.Length; i++)
        {
            if (!NetworkArgs.TryClientOption(args, ref i, target))
            {
                throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        var client = target.CreateClient();
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var status = await client.EchoAsync(cancellationToken);
            Console.WriteLine($"C-ECHO {target.CallingAe} -> {target.CalledAe}@{target.Host}:{target.Port}: {status} in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
            return status.IsSuccess ? 0 : 1;
        }
        catch (Exception ex) when (ex is DicomAssociationRejectedException or DicomAssociationAbortedException or IOException or System.Net.Sockets.SocketException or TimeoutException or Draw.Dicom.Network.Pdu.DicomProtocolException or System.Security.Authentication.AuthenticationException)
        {
            await Console.Error.WriteLineAsync($"draw echo: {ex.Message}");
            return 1;
        }
    }
}
