using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Draw.Benchmarks.Harness;

/// <summary>The machine and the tool versions a run was measured with.</summary>
public sealed record MachineInfo(int Cores, double MemoryGb, string Cpu, string Os, string Runtime, string LoadAverage, IReadOnlyList<string> Tools)
{
    public string Short => string.Create(CultureInfo.InvariantCulture, $"{Cores} cores, {MemoryGb:0.0} GB memory");

    public static MachineInfo Collect()
    {
        var memoryGb = 0.0;
        var cpu = "unknown CPU";
        if (File.Exists("/proc/meminfo"))
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            memoryGb = kb is null ? 0 : double.Parse(kb, CultureInfo.InvariantCulture) / 1024 / 1024;
        }

        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            cpu = line?.Split(':', 2)[1].Trim() ?? cpu;
        }

        var tools = new List<string>
        {
            FirstLine("dcmdump", "--version") ?? "dcmtk: not installed",
            FirstLine(Harness.Tools.Python, "-c", "import sys, pydicom; print('pydicom ' + pydicom.__version__ + ' on python ' + sys.version.split()[0])") ?? "pydicom: not available",
        };
        return new MachineInfo(Environment.ProcessorCount, memoryGb, cpu, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, LoadAverageNow(), tools);
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine skews the figures.</summary>
    public static string LoadAverageNow() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? FirstLine(string program, params string[] arguments)
    {
        if (!ProcessRunner.IsInstalled(program))
        {
            return null;
        }

        try
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            using var p = Process.Start(info);
            if (p is null)
            {
                return null;
            }

            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit(10_000);
            return text.Split('\n').Select(l => l.Trim().Trim('$').Trim()).FirstOrDefault(l => l.Length > 0);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
