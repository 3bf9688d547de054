using System.Globalization;
using Draw.Domain.Persistence;
using Draw.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Draw.Domain.Export;

/// <summary>A destination as lists show it: where it sends, with the authorisation header masked.</summary>
public sealed record DestinationView(long Id, string Name, DestinationKind Kind, bool Enabled, string Where, string? AuthorizationMasked, int MaxAttempts, int BackoffBaseSeconds, int BackoffMaxSeconds, string? Description);

/// <summary>Adding, changing, removing, listing and checking destinations, for the CLI and the dashboard.</summary>
public static class DestinationAdministration
{
    /// <summary>Problems with a destination's settings, each naming the field; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(ExportDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(destination.Name) || destination.Name.Length > 128)
        {
            problems.Add("Name must be 1 to 128 characters.");
        }

        switch (destination.Kind)
        {
            case DestinationKind.Folder:
                if (string.IsNullOrWhiteSpace(destination.FolderRoot) || !Path.IsPathRooted(destination.FolderRoot))
                {
                    problems.Add($"FolderRoot must be an absolute folder path (got '{destination.FolderRoot}').");
                }

                problems.AddRange(ExportNaming.Validate(destination.PathPattern, nameof(destination.PathPattern), allowEmpty: true));
                problems.AddRange(ExportNaming.Validate(destination.FileNamePattern, nameof(destination.FileNamePattern), allowEmpty: false));
                break;
            case DestinationKind.DicomNode:
                if (destination.Nodes.Count == 0)
                {
                    problems.Add("Nodes: a DICOM node destination needs at least a primary node.");
                }

                foreach (var (node, i) in destination.Nodes.OrderBy(n => n.Position).Select((n, i) => (n, i)))
                {
                    var label = i == 0 ? "primary node" : $"fallback {i}";
                    problems.AddRange(AeProblems(node.AeTitle, $"Nodes[{i}].AeTitle ({label})"));
                    problems.AddRange(AeProblems(node.CallingAeTitle, $"Nodes[{i}].CallingAeTitle ({label})"));
                    if (string.IsNullOrWhiteSpace(node.Host) || node.Host.Length > 255 || node.Host.Any(char.IsWhiteSpace))
                    {
                        problems.Add($"Nodes[{i}].Host ({label}) must be a host name or address (got '{node.Host}').");
                    }

                    if (node.Port is < 1 or > 65535)
                    {
                        problems.Add($"Nodes[{i}].Port ({label}) must be from 1 to 65535 (got {node.Port}).");
                    }

                    if (node.TimeoutSeconds is < 1 or > 3600)
                    {
                        problems.Add($"Nodes[{i}].TimeoutSeconds ({label}) must be from 1 to 3600 (got {node.TimeoutSeconds}).");
                    }
                }

                break;
            case DestinationKind.DicomWeb:
                if (!Uri.TryCreate(destination.StowUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    problems.Add($"StowUrl must be an absolute http or https URL (got '{destination.StowUrl}').");
                }

                if (destination.AuthorizationHeader?.Any(char.IsControl) == true)
                {
                    problems.Add("AuthorizationHeader must be one line without control characters.");
                }

                break;
        }

        if (destination.MaxAttempts is < 1 or > 100)
        {
            problems.Add($"MaxAttempts must be from 1 to 100 (got {destination.MaxAttempts}).");
        }

        if (destination.BackoffBaseSeconds is < 1 or > 86_400)
        {
            problems.Add($"BackoffBaseSeconds must be from 1 to 86400 (got {destination.BackoffBaseSeconds}).");
        }

        if (destination.BackoffMaxSeconds < destination.BackoffBaseSeconds || destination.BackoffMaxSeconds > 7 * 86_400)
        {
            problems.Add($"BackoffMaxSeconds must be from BackoffBaseSeconds to 604800 (got {destination.BackoffMaxSeconds}).");
        }

        return problems;
    }

    /// <summary>
    /// Adds a destination (Id 0) or updates the one with its Id (its nodes replaced). On update a null
    /// AuthorizationHeader keeps the stored secret (forms never show it); an empty one clears it.
    /// </summary>
    /// <exception cref="InvalidDestinationException">Invalid settings (every reason) or a name already used.</exception>
    public static async Task<ExportDestination> SaveDestinationAsync(this DrawDbContext db, TimeProvider time, ExportDestination destination, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.FolderRoot is { Length: > 0 } root && Path.IsPathRooted(root))
        {
            destination.FolderRoot = Path.GetFullPath(root);
        }

        ExportDestination? existing = null;
        if (destination.Id != 0)
        {
            existing = await db.ExportDestinations.Include(d => d.Nodes).FirstOrDefaultAsync(d => d.Id == destination.Id, cancellationToken)
                ?? throw new InvalidDestinationException($"there is no destination {destination.Id}.");
            destination.AuthorizationHeader ??= existing.AuthorizationHeader;
        }

        var problems = Validate(destination).ToList();
        if (await db.ExportDestinations.AnyAsync(d => d.Name == destination.Name && d.Id != destination.Id, cancellationToken))
        {
            problems.Add($"Name: a destination named '{destination.Name}' exists already.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDestinationException(string.Join(" ", problems));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var target = existing ?? new ExportDestination { Name = destination.Name, CreatedAt = now };
        target.Name = destination.Name;
        target.Kind = destination.Kind;
        target.Enabled = destination.Enabled;
        target.Description = destination.Description;
        target.FolderRoot = destination.FolderRoot;
        target.PathPattern = destination.PathPattern ?? "";
        target.FileNamePattern = destination.FileNamePattern;
        target.OnlyIntoExistingFolder = destination.OnlyIntoExistingFolder;
        target.StowUrl = destination.StowUrl;
        target.AuthorizationHeader = string.IsNullOrEmpty(destination.AuthorizationHeader) ? null : destination.AuthorizationHeader;
        target.MaxAttempts = destination.MaxAttempts;
        target.BackoffBaseSeconds = destination.BackoffBaseSeconds;
        target.BackoffMaxSeconds = destination.BackoffMaxSeconds;
        target.UpdatedAt = now;
        target.UpdatedBy = user;
        var nodes = destination.Nodes.OrderBy(n => n.Position).Select((n, i) => new DestinationNode
        {
            Position = i, AeTitle = n.AeTitle, Host = n.Host, Port = n.Port, CallingAeTitle = n.CallingAeTitle, UseTls = n.UseTls, TimeoutSeconds = n.TimeoutSeconds,
        }).ToList();
        if (existing is null)
        {
            db.ExportDestinations.Add(target);
        }
        else
        {
            db.DestinationNodes.RemoveRange(existing.Nodes);
            existing.Nodes.Clear();
        }

        target.Nodes.AddRange(nodes);
        db.Append(time, EventKinds.DestinationSaved, new { name = target.Name, kind = target.Kind.ToString(), by = user });
        await db.SaveChangesAsync(cancellationToken);
        return target;
    }

    /// <summary>Removes a destination with its nodes and rules; deliveries still waiting fail with the reason; the ledger stays.</summary>
    public static async Task DeleteDestinationAsync(this DrawDbContext db, TimeProvider time, long id, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var destination = await db.ExportDestinations.FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new InvalidDestinationException($"there is no destination {id}.");
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var waiting in await db.ExportDeliveries.Where(d => d.DestinationId == id && d.State == DeliveryState.Pending).ToListAsync(cancellationToken))
        {
            waiting.State = DeliveryState.Failed;
            waiting.LastError = $"the destination '{destination.Name}' was removed by {user}";
            waiting.UpdatedAt = now;
            waiting.FinishedAt = now;
        }

        db.ExportDestinations.Remove(destination);
        db.Append(time, EventKinds.DestinationDeleted, new { name = destination.Name, by = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<DestinationView>> ListDestinationsAsync(this DrawDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var all = await db.ExportDestinations.AsNoTracking().Include(d => d.Nodes).OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return [.. all.Select(View)];
    }

    public static DestinationView View(ExportDestination d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new DestinationView(d.Id, d.Name, d.Kind, d.Enabled, Where(d), MaskSecret(d.AuthorizationHeader), d.MaxAttempts, d.BackoffBaseSeconds, d.BackoffMaxSeconds, d.Description);
    }

    /// <summary>Where a destination sends, in a few words.</summary>
    public static string Where(ExportDestination d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.Kind switch
        {
            DestinationKind.Folder => Path.Combine(d.FolderRoot ?? "?", d.PathPattern, d.FileNamePattern) + (d.OnlyIntoExistingFolder ? " (existing folders only)" : ""),
            DestinationKind.WriteBack => "beside each series' images, RS_<PatientID>_DRAW_<timestamp>.dcm",
            DestinationKind.DicomNode => string.Join(", then ", d.Nodes.OrderBy(n => n.Position).Select(n => $"{n}{(n.UseTls ? " TLS" : "")} as {n.CallingAeTitle}")),
            DestinationKind.DicomWeb => d.StowUrl ?? "?",
            _ => d.Kind.ToString(),
        };
    }

    /// <summary>"Bearer ****": the scheme stays visible, the credentials never.</summary>
    public static string? MaskSecret(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? header[..space] + " ****" : "****";
    }

    private static IEnumerable<string> AeProblems(string? ae, string field)
    {
        if (string.IsNullOrWhiteSpace(ae) || ae.Length > 16 || ae.Any(c => c == '\\' || char.IsControl(c)))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{field} must be 1 to 16 characters without backslash (got '{ae}').");
        }
    }
}

/// <summary>Destination or rule settings that cannot be saved; the message names every field at fault.</summary>
public sealed class InvalidDestinationException(string message) : Exception(message);
