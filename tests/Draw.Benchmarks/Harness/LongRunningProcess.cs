using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Draw.Benchmarks.Harness;

/// <summary>
/// A server a scenario keeps running while other processes are measured against it (a C-STORE receiver), started
/// under GNU time (/usr/bin/time -f %M) so that its peak resident set size is known once it stops. Stopping sends
/// SIGTERM to the server itself (not to time), so time still reports.
/// </summary>
public sealed class LongRunningProcess : IAsyncDisposable
{
    private const string GnuTime = "/usr/bin/time";
    private readonly Process _process;
    private readonly string? _timeFile;
    private readonly StringBuilder _output = new();

    private LongRunningProcess(Process process, string? timeFile, string name)
    {
        _process = process;
        _timeFile = timeFile;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Peak resident set size in KB, known after <see cref="StopAsync"/> when GNU time was available.</summary>
    public long? PeakRssKb { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static LongRunningProcess Start(ProcessCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var timeFile = ProcessRunner.CanMeasureMemory ? Path.GetTempFileName() : null;
        var argv = new List<string>();
        if (timeFile is not null)
        {
            argv.AddRange([GnuTime, "-f", "%M", "-o", timeFile]);
        }

        argv.Add(command.FileName);
        argv.AddRange(command.Arguments);
        var info = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new LongRunningProcess(process, timeFile, Path.GetFileName(command.FileName));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until something accepts TCP connections on the loopback port.</summary>
    public void WaitForPort(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s: {Output}");
    }

    /// <summary>Waits for a file the server writes when it is ready (e.g. the port it bound) and returns its text.</summary>
    public string WaitForFile(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Trim();
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}: {Output}");
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"{Name} did not write {path} within {timeout.TotalSeconds:0} s: {Output}");
    }

    /// <summary>Stops the server (SIGTERM to the program under time, then SIGKILL after 10 s) and reads its peak RSS.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            var target = _timeFile is null ? _process.Id : ChildOf(_process.Id) ?? _process.Id;
            using (var kill = Process.Start("/bin/kill", ["-TERM", target.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        if (_timeFile is not null && File.Exists(_timeFile))
        {
            // "Command terminated by signal 15" precedes the figure.
            var last = (await File.ReadAllLinesAsync(_timeFile)).LastOrDefault(l => l.Length > 0);
            PeakRssKb = long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        if (_timeFile is not null)
        {
            File.Delete(_timeFile);
        }
    }

    private static int? ChildOf(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        if (!File.Exists(path))
        {
            return null;
        }

        var first = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var child) ? child : null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
