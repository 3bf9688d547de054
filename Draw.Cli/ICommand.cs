namespace Draw.Cli;

/// <summary>One verb of the draw command. Implementations stay thin and call library code.</summary>
public interface ICommand
{
    string Name { get; }

    string Summary { get; }

    string Usage { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}

/// <summary>Thrown for wrong arguments; the dispatcher prints the message and the usage line.</summary>
public sealed class UsageException(string message) : Exception(message);
