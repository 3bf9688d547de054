using Microsoft.Extensions.Options;

namespace Draw.Domain.Settings;

/// <summary>
/// Runs a host and turns a bad setting into one clear line naming the key and exit code 2,
/// instead of a stack trace.
/// </summary>
public static class StartupGuard
{
    public const int InvalidSettingsExitCode = 2;

    public static Task<int> RunAsync(string processName, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return RunWithExitCodeAsync(processName, async () =>
        {
            await run();
            return 0;
        });
    }

    public static async Task<int> RunWithExitCodeAsync(string processName, Func<Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return await run();
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"{processName} cannot start: invalid setting {failure}");
            }

            return InvalidSettingsExitCode;
        }
    }
}
