using Draw.Cli.Commands;

namespace Draw.Cli;

/// <summary>Every verb of the draw command, in the order `draw help` lists them. One line per command.</summary>
internal static class CommandRegistry
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new DeidCommand(),
        new DemoCommand(),
        new DumpCommand(),
        new DatastoresCommand(),
        new EchoCommand(),
        new SendCommand(),
        new ListenCommand(),
        new FindCommand(),
        new MoveCommand(),
        new MigrateCommand(),
        new PhiCheckCommand(),
        new UsersCommand(),
        new TemplatesCommand(),
        new RulesCommand(),
        new DestinationsCommand(),
        new ExportRulesCommand(),
        new HarvestCommand(),
        new LedgerCommand(),
    ];
}
