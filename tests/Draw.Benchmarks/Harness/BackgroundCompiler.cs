using System.Diagnostics;
using System.Runtime;

namespace Draw.Benchmarks.Harness;

/// <summary>
/// The runtime compiles hot methods again, optimised, on a background thread a little after they cross a call count.
/// A child waits for that thread to go quiet before it starts its clock, so that compiles set off by its set-up
/// (migrating a fresh database, removing an earlier pass's outputs) are not charged to the timed work, as they would
/// not be in a worker, whose start-up is long over when a scan or a series arrives. Compiles the timed work itself
/// sets off still count.
/// </summary>
public static class BackgroundCompiler
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);

    /// <summary>Returns once no method has been compiled for 300 ms, or after 5 s at most.</summary>
    public static void WaitUntilQuiet()
    {
        var clock = Stopwatch.StartNew();
        var count = JitInfo.GetCompiledMethodCount();
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < Longest && clock.Elapsed - quietSince < Quiet)
        {
            Thread.Sleep(Poll);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != count)
            {
                count = now;
                quietSince = clock.Elapsed;
            }
        }
    }
}
