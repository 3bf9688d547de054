using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Draw.Benchmarks.Harness;

/// <summary>
/// Runs one external process and measures it: wall time from start to exit (Stopwatch around Process.Start and
/// WaitForExit), and peak resident set size from GNU time (/usr/bin/time -f %M: ru_maxrss from wait4, the largest
/// resident set of the process and of the children it waited for). Without /usr/bin/time the peak is unknown.
/// A line starting with <see cref="WorkReport.Prefix"/> on standard output is the contender's own report.
/// </summary>
public static class ProcessRunner
{
    private const string GnuTime = "/usr/bin/time";

    public static bool CanMeasureMemory { get; } = File.Exists(GnuTime);

    public static async Task<Sample> RunAsync(ProcessCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var timeFile = CanMeasureMemory ? Path.GetTempFileName() : null;
        try
        {
            var info = BuildStartInfo(command, timeFile);
            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command.FileName}");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Describe(command)} did not finish within {timeout.TotalSeconds:0} s");
            }

            stopwatch.Stop();
            var output = await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Describe(command)} exited with {process.ExitCode}: {Tail(errors)}");
            }

            return new Sample(stopwatch.Elapsed.TotalSeconds, ReadPeakKb(timeFile), ParseReport(output));
        }
        finally
        {
            if (timeFile is not null)
            {
                File.Delete(timeFile);
            }
        }
    }

    /// <summary>Finds a program on PATH (or an absolute path that exists).</summary>
    public static bool IsInstalled(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program)));
    }

    public static WorkReport? ParseReport(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(WorkReport.Prefix, StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize<WorkReport>(line[WorkReport.Prefix.Length..], JsonOptions);
            }
        }

        return null;
    }

    public static JsonSerializerOptions JsonOptions { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static ProcessStartInfo BuildStartInfo(ProcessCommand command, string? timeFile)
    {
        var argv = new List<string>();
        if (command.DiscardOutput)
        {
            // The shell replaces itself with the program (exec): no extra process stays alive.
            argv.AddRange(["/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/null"]);
        }

        argv.Add(command.FileName);
        argv.AddRange(command.Arguments);
        if (timeFile is not null)
        {
            argv.InsertRange(0, [GnuTime, "-f", "%e %M", "-o", timeFile]);
        }

        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static long? ReadPeakKb(string? timeFile)
    {
        if (timeFile is null || !File.Exists(timeFile))
        {
            return null;
        }

        // "Command exited with non-zero status" may precede the figures: the last line holds them.
        var last = File.ReadAllLines(timeFile).LastOrDefault(l => l.Length > 0);
        var parts = last?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: 2 } && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : null;
    }

    private static string Describe(ProcessCommand command) => Path.GetFileName(command.FileName);

    /// <summary>The end of the output, after the first line (an unhandled exception's message, which the stack trace would push out).</summary>
    private static string Tail(string text)
    {
        var t = text.Trim();
        if (t.Length <= 600)
        {
            return t;
        }

        var firstLine = t.Split('\n', 2)[0];
        return (firstLine.Length > 600 ? firstLine[..600] : firstLine) + " ... " + t[^600..];
    }
}
