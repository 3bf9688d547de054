namespace Draw.Benchmarks.Harness;

/// <summary>How the harness starts its peers and itself.</summary>
public static class Tools
{
    /// <summary>Debian's python with pydicom (the pyenv python on PATH has no pydicom).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>A python script shipped beside the harness (tests/Draw.Benchmarks/Python).</summary>
    public static ProcessCommand PythonScript(string script, params string[] arguments) =>
        new(Python, [Path.Combine(AppContext.BaseDirectory, "Python", script), .. arguments]);

    /// <summary>
    /// The runtime settings Draw.Worker and Draw.Cli ship in their runtimeconfig (RuntimeHostConfigurationOption in their
    /// .csproj), as environment variables: a child that stands in for one of them (the C-STORE SCP for the Worker's
    /// listener, the SCU for `draw send`) runs as the product does. Keep in step with those two projects.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ProductRuntimeEnvironment { get; } =
        new Dictionary<string, string>
        {
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
            ["DOTNET_TieredPGO"] = "0",
        };

    /// <summary>This program again (as <see cref="ChildProgram"/> published it), in child mode, with the product's runtime
    /// settings: runs a scenario's DRAW workload and prints its report.</summary>
    public static ProcessCommand Child(string scenario, string workload, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string[] args = ["--child", scenario, workload, input.Files.ListFile, input.OutputFolder];
        var entry = typeof(Tools).Assembly.Location;
        var self = Environment.ProcessPath ?? "dotnet";
        var command = ChildProgram.Folder is { } published
            ? new ProcessCommand(Path.Combine(published, Path.GetFileNameWithoutExtension(entry)), args)
            : Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? new ProcessCommand(self, [entry, .. args])
                : new ProcessCommand(self, args);
        return command with { Environment = ProductRuntimeEnvironment };
    }
}
