using Draw.Testing;

namespace Draw.Benchmarks.Harness;

/// <summary>
/// Where DRAW's child processes start from. Draw.Worker and Draw.Cli are published ReadyToRun (precompiled), so the
/// harness publishes itself the same way into the work folder once per run and starts its children from there: a
/// first pass then runs the precompiled code a deployed worker runs, not the JIT of a development build.
/// </summary>
public static class ChildProgram
{
    /// <summary>How the children ran, for the report.</summary>
    public static string Description { get; private set; } = "the harness's own Release build (JIT-compiled)";

    /// <summary>The folder of the published program; null when the children run the harness's own build.</summary>
    public static string? Folder { get; private set; }

    public static async Task PublishAsync(string workFolder, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var output = Path.Combine(workFolder, "draw-child");
        var project = Path.Combine(RepoPaths.Root, "tests", "Draw.Benchmarks", "Draw.Benchmarks.csproj");
        log.WriteLine($"publishing {project} ReadyToRun into {output}: DRAW's child processes start from there");
        try
        {
            // The children never drive a browser: Playwright's 130 MB driver stays out of the copy.
            await ProcessRunner.RunAsync(new ProcessCommand("dotnet",
                ["publish", project, "-c", "Release", "-p:PublishReadyToRun=true", "-p:PlaywrightPlatform=none", "-o", output, "--nologo", "-v", "quiet"]),
                TimeSpan.FromMinutes(10), cancellationToken);
            Folder = output;
            Description = "the benchmark program published ReadyToRun (`dotnet publish -c Release -p:PublishReadyToRun=true`), precompiled as Draw.Worker and Draw.Cli are published";
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Still measured, but visibly not as the product ships: the report says so.
            Description = $"the harness's own Release build, JIT-compiled, because publishing it ReadyToRun failed: {e.Message}";
            log.WriteLine($"WARNING: {Description}");
        }
    }
}
