using System.Globalization;
using Draw.Dicom.Network.Client;
using Draw.Domain.Export;
using Draw.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draw.Cli.Commands;

/// <summary>`draw destinations list | add | update | remove | test`: where finished structure sets go.</summary>
internal sealed class DestinationsCommand : ICommand
{
    public string Name => "destinations";

    public string Summary => "export destinations: list, add, update, remove, test (folder, write-back, DICOM node, STOW-RS)";

    public string Usage => "list | add NAME --kind folder|write-back|dicom|stow [OPTIONS] | update NAME [OPTIONS] | remove NAME | test NAME\n"
        + "  OPTIONS: --root DIR --path-pattern P --file-pattern P --existing-only --create-folders | --node AE@HOST:PORT (repeat: primary first) --calling-ae AE --tls --timeout S\n"
        + "           | --url URL --auth-env VARIABLE (the Authorization header value is read from that variable, never from the command line)\n"
        + "           | --max-attempts N --backoff S --backoff-max S --description TEXT --enable --disable";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build();
        await using var db = await services.GetRequiredService<IDbContextFactory<DrawDbContext>>().CreateDbContextAsync(cancellationToken);
        var time = services.GetRequiredService<TimeProvider>();
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var d in await db.ListDestinationsAsync(cancellationToken))
                    {
                        Console.WriteLine($"{d.Name,-20} {d.Kind,-10} {(d.Enabled ? "enabled " : "disabled")} {d.Where}{(d.AuthorizationMasked is null ? "" : $" (Authorization: {d.AuthorizationMasked})")}");
                        Console.WriteLine($"{"",-20} retries: {d.MaxAttempts} attempts, backoff {d.BackoffBaseSeconds}s to {d.BackoffMaxSeconds}s");
                    }

                    return 0;
                case ["add", var name, .. var options]:
                    var added = await db.SaveDestinationAsync(time, Apply(new ExportDestination { Name = name }, options, requireKind: true), "cli", cancellationToken);
                    Console.WriteLine($"destination {added.Name} saved: {DestinationAdministration.Where(added)}");
                    return 0;
                case ["update", var name, .. var options]:
                    var existing = await FindAsync(db, name, cancellationToken);
                    if (existing is null)
                    {
                        return TemplatesCommand.Fail($"no destination named '{name}'");
                    }

                    existing.AuthorizationHeader = null; // keep the stored secret unless --auth-env gives a new one
                    var updated = await db.SaveDestinationAsync(time, Apply(existing, options, requireKind: false), "cli", cancellationToken);
                    Console.WriteLine($"destination {updated.Name} saved: {DestinationAdministration.Where(updated)}");
                    return 0;
                case ["remove", var name]:
                    var removed = await FindAsync(db, name, cancellationToken);
                    if (removed is null)
                    {
                        return TemplatesCommand.Fail($"no destination named '{name}'");
                    }

                    await db.DeleteDestinationAsync(time, removed.Id, "cli", cancellationToken);
                    Console.WriteLine($"destination {name} removed (its ledger entries stay)");
                    return 0;
                case ["test", var name]:
                    var tested = await FindAsync(db, name, cancellationToken);
                    if (tested is null)
                    {
                        return TemplatesCommand.Fail($"no destination named '{name}'");
                    }

                    using (var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }))
                    {
                        var report = await new DestinationProbe(http, time).ProbeAsync(tested, cancellationToken);
                        foreach (var line in report.Lines)
                        {
                            Console.WriteLine($"{(line.Ok ? "ok  " : "FAIL")} {line.Target}: {line.Detail}");
                        }

                        return report.Ok ? 0 : 1;
                    }

                default:
                    throw new UsageException("unknown destinations command.");
            }
        }
        catch (InvalidDestinationException ex)
        {
            return TemplatesCommand.Fail(ex.Message);
        }
    }

    private static Task<ExportDestination?> FindAsync(DrawDbContext db, string name, CancellationToken cancellationToken) =>
        db.ExportDestinations.AsNoTracking().Include(d => d.Nodes).FirstOrDefaultAsync(d => d.Name == name, cancellationToken);

    private static ExportDestination Apply(ExportDestination destination, string[] options, bool requireKind)
    {
        var nodes = new List<DestinationNode>();
        string? callingAe = null;
        bool? tls = null;
        int? timeout = null;
        var kindGiven = false;
        for (var i = 0; i < options.Length; i++)
        {
            string Value() => i + 1 < options.Length ? options[++i] : throw new UsageException($"{options[i]} needs a value.");
            switch (options[i])
            {
                case "--kind":
                    kindGiven = true;
                    destination.Kind = Value() switch
                    {
                        "folder" => DestinationKind.Folder,
                        "write-back" => DestinationKind.WriteBack,
                        "dicom" => DestinationKind.DicomNode,
                        "stow" => DestinationKind.DicomWeb,
                        var other => throw new UsageException($"--kind is folder, write-back, dicom or stow (got '{other}')."),
                    };
                    break;
                case "--root": destination.FolderRoot = Path.GetFullPath(Value()); break;
                case "--path-pattern": destination.PathPattern = Value(); break;
                case "--file-pattern": destination.FileNamePattern = Value(); break;
                case "--existing-only": destination.OnlyIntoExistingFolder = true; break;
                case "--create-folders": destination.OnlyIntoExistingFolder = false; break;
                case "--node": nodes.Add(Node(Value())); break;
                case "--calling-ae": callingAe = Value(); break;
                case "--tls": tls = true; break;
                case "--timeout": timeout = Number(Value(), "--timeout"); break;
                case "--url": destination.StowUrl = Value(); break;
                case "--auth-env":
                    var variable = Value();
                    destination.AuthorizationHeader = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } header
                        ? header
                        : throw new UsageException($"the environment variable {variable} is empty or not set.");
                    break;
                case "--max-attempts": destination.MaxAttempts = Number(Value(), "--max-attempts"); break;
                case "--backoff": destination.BackoffBaseSeconds = Number(Value(), "--backoff"); break;
                case "--backoff-max": destination.BackoffMaxSeconds = Number(Value(), "--backoff-max"); break;
                case "--description": destination.Description = Value(); break;
                case "--enable": destination.Enabled = true; break;
                case "--disable": destination.Enabled = false; break;
                default: throw new UsageException($"unknown option {options[i]}.");
            }
        }

        if (requireKind && !kindGiven)
        {
            throw new UsageException("--kind is required.");
        }

        if (nodes.Count > 0)
        {
            destination.Nodes.Clear();
            destination.Nodes.AddRange(nodes);
        }

        foreach (var (node, position) in destination.Nodes.Select((n, p) => (n, p)))
        {
            node.Position = position;
            node.CallingAeTitle = callingAe ?? node.CallingAeTitle;
            node.UseTls = tls ?? node.UseTls;
            node.TimeoutSeconds = timeout ?? node.TimeoutSeconds;
        }

        return destination;
    }

    /// <summary>AE@HOST:PORT.</summary>
    private static DestinationNode Node(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            throw new UsageException($"--node takes AE@HOST:PORT (got '{text}').");
        }

        try
        {
            var (host, port) = DicomClientOptions.ParseEndPoint(text[(at + 1)..]);
            return new DestinationNode { AeTitle = text[..at], Host = host, Port = port };
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--node: {ex.Message}.");
        }
    }

    internal static int Number(string value, string option) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw new UsageException($"{option} takes a whole number.");
}
