namespace Draw.Cli.Commands;

/// <summary>The arguments of `draw deid` and `draw phi-check`: two paths and an optional --profile BACKEND.</summary>
internal sealed record TwoPathArguments(string First, string Second, string? Profile)
{
    public static TwoPathArguments Parse(string[] args, string missingPathsMessage)
    {
        string? profile = null;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--profile")
            {
                profile = i + 1 < args.Length ? args[++i] : throw new UsageException("--profile needs a backend name");
            }
            else if (args[i].StartsWith('-'))
            {
                throw new UsageException($"unknown option '{args[i]}'");
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return positional.Count == 2 ? new TwoPathArguments(positional[0], positional[1], profile) : throw new UsageException(missingPathsMessage);
    }
}
