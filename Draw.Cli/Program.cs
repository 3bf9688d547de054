using Draw.Domain.Settings;

return await StartupGuard.RunWithExitCodeAsync("draw", () => Draw.Cli.CommandLine.RunAsync(args));
