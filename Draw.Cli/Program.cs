return await Draw.Cli.CommandLine.RunAsync(args);
