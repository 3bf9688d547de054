using System.Diagnostics;

namespace Draw.Testing.Database;

/// <summary>
/// The PostgreSQL server the tests use: the one ./test.sh started ($DRAW_TEST_POSTGRES), or, when
/// tests run on their own, a throwaway cluster started here once per test run. Never skipped:
/// without PostgreSQL the database tests fail with the reason.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Connection = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string AdminConnectionString => Connection.Value;

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("DRAW_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return given;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"draw-pg-{Environment.ProcessId}");
        var script = Path.Combine(RepoPaths.Root, "tests", "scripts", "postgres.sh");
        var result = Run(script, "start", folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(script, "stop", folder);
        return result;
    }

    private static string Run(string script, string command, string folder)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, command, folder })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run bash");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Trim()
            : throw new InvalidOperationException($"PostgreSQL for tests could not {command}: {error}");
    }
}
