using Draw.Cli.Commands;

namespace Draw.Cli;

/// <summary>Every verb of the draw command, in the order `draw help` lists them. One line per command.</summary>
internal static class CommandRegistry
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new DumpCommand(),
        new DatastoresCommand(),
        new MigrateCommand(),
        new UsersCommand(),
        new TemplatesCommand(),
        new RulesCommand(),
    ];
}
