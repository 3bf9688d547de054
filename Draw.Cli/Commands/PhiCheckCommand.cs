using Draw.Domain.Privacy;
using Draw.Domain.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Draw.Cli.Commands;

/// <summary>`draw phi-check ORIGINALS OUTPUT [--profile NAME]`: reports identifying values of the originals that survive in the output.</summary>
internal sealed class PhiCheckCommand : ICommand
{
    public string Name => "phi-check";

    public string Summary => "report identifying values of ORIGINALS that survive anywhere in OUTPUT (exit 1 if any)";

    public string Usage => "ORIGINALS OUTPUT [--profile BACKEND]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (first, second, profile) = TwoPathArguments.Parse(args, "give ORIGINALS and OUTPUT (files or folders)");

        await using var services = CliServices.Build();
        var options = DeidentificationOptions.Load(services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>());
        var checker = new PhiChecker(new LogMask(services.GetRequiredService<DataRoot>()));
        var report = checker.Check(PhiChecker.Files(first), PhiChecker.Files(second), options.ForBackend(profile).ToOptions());
        foreach (var finding in report.Findings)
        {
            Console.WriteLine(finding);
        }

        Console.WriteLine($"{report.OriginalFiles} original(s), {report.OutputFiles} output file(s), {report.IdentifyingValues} identifying value(s) looked for, {report.Findings.Count} found");
        await Task.CompletedTask;
        return report.Clean ? 0 : 1;
    }
}
