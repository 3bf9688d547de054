using Draw.Testing;
using Draw.Testing.Processes;

namespace Draw.Worker.Tests.Hosting;

/// <summary>A bad setting stops start-up with one line naming the key, and exit code 2.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("Draw.Worker", "Draw__Listener__Port", "0", "Draw:Listener:Port")]
    [InlineData("Draw.Worker", "Draw__Database__Provider", "PostgreSql", "Draw:Database:ConnectionString")]
    [InlineData("Draw.Worker", "Draw__Worker__HeartbeatSeconds", "0", "Draw:Worker:HeartbeatSeconds")]
    [InlineData("Draw.Web", "Draw__Database__Provider", "PostgreSql", "Draw:Database:ConnectionString")]
    [InlineData("Draw.Web", "Draw__Live__HubUrl", "not a url", "Draw:Live:HubUrl")]
    public async Task A_bad_setting_stops_start_up_naming_the_key(string program, string variable, string value, string key)
    {
        using var dataRoot = new TempFolder();
        var environment = new Dictionary<string, string>
        {
            ["Draw__Storage__DataRoot"] = dataRoot.Path,
            ["Draw__Worker__HealthPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [variable] = value,
        };
        await using var process = DrawProcess.Start(program, RepoPaths.ProgramDll(program, program), environment, "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains($"{program} cannot start: invalid setting {key}", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
    }
}
