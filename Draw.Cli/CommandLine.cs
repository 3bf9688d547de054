namespace Draw.Cli;

/// <summary>Dispatches `draw VERB ...` to the command registered for the verb.</summary>
public static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        var command = CommandRegistry.All.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"draw: unknown command '{args[0]}'. Run 'draw help'.");
            return 2;
        }

        try
        {
            return await command.RunAsync(args[1..], CancellationToken.None);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"draw {command.Name}: {ex.Message}");
            await Console.Error.WriteLineAsync($"usage: draw {command.Name} {command.Usage}");
            return 2;
        }
    }

    private static void PrintUsage(TextWriter output)
    {
        output.WriteLine("usage: draw COMMAND [ARGS]");
        output.WriteLine();
        foreach (var command in CommandRegistry.All)
        {
            output.WriteLine($"  {command.Name,-12} {command.Summary}");
        }
    }
}
