using System.Diagnostics;
using System.Globalization;

namespace Draw.Benchmarks.Harness;

/// <summary>
/// Lets the machine settle before a measured run, so that no contender pays for the one before it: dirty pages
/// are written back (<c>sync</c>), then we wait until the CPUs are nearly idle and the disks have done nothing for
/// a moment (a long-running server can still be busy after its sender has exited, and a disk after a sync).
/// Bounded, so a busy machine only delays the run.
/// </summary>
public static class QuietMachine
{
    private const double IdleEnough = 0.10;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    /// <summary>/proc/diskstats fields (0-based, after major, minor and name) that move with any activity: reads
    /// completed, writes completed, requests in flight, discards completed, milliseconds spent discarding.</summary>
    private static readonly int[] DiskActivityFields = [3, 7, 11, 14, 17];

    /// <summary>Returns how long it waited, and whether it gave up with the machine still busy.</summary>
    public static async Task<(TimeSpan Waited, bool StillBusy)> SettleAsync(CancellationToken cancellationToken)
    {
        using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false }))
        {
            if (sync is not null)
            {
                await sync.WaitForExitAsync(cancellationToken);
            }
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit && ReadCpu() is { } before)
        {
            var disksBefore = ReadDisks();
            await Task.Delay(Window, cancellationToken);
            if (ReadCpu() is not { } after || after.Total <= before.Total)
            {
                return (clock.Elapsed, false);
            }

            var busy = 1.0 - (double)(after.Idle - before.Idle) / (after.Total - before.Total);
            if (busy < IdleEnough && ReadDisks() == disksBefore)
            {
                return (clock.Elapsed, false);
            }
        }

        return (clock.Elapsed, true);
    }

    /// <summary>The sum over block devices of requests completed and in flight (/proc/diskstats); unchanged = idle.</summary>
    private static long ReadDisks()
    {
        try
        {
            long sum = 0;
            foreach (var line in File.ReadLines("/proc/diskstats"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var i in DiskActivityFields.Where(i => i < fields.Length))
                {
                    sum += long.Parse(fields[i], CultureInfo.InvariantCulture);
                }
            }

            return sum;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>The machine's total and idle (idle + iowait) jiffies from the first line of /proc/stat.</summary>
    private static (long Total, long Idle)? ReadCpu()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return fields.Length < 5 ? null : (fields.Sum(), fields[3] + fields[4]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
