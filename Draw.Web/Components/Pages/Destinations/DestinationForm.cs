using Draw.Domain.Export;

namespace Draw.Web.Components.Pages.Destinations;

/// <summary>
/// The editable copy of a destination behind the form. The stored authorisation header never comes
/// back to the browser: the form shows its masked form, and only a replacement typed here is sent.
/// </summary>
public sealed class DestinationForm
{
    public long Id { get; init; }

    public DestinationKind Kind { get; init; }

    public string Name { get; set; } = "";

    public bool Enabled { get; set; } = true;

    public string? Description { get; set; }

    public string? FolderRoot { get; set; }

    public string PathPattern { get; set; } = "{PatientID}";

    public string FileNamePattern { get; set; } = ExportNaming.DefaultFileName;

    public bool OnlyIntoExistingFolder { get; set; }

    public string? StowUrl { get; set; }

    /// <summary>The stored header as "Bearer ****", or null when there is none.</summary>
    public string? AuthorizationMasked { get; init; }

    /// <summary>True once the user chose to replace (or clear) the stored header.</summary>
    public bool ReplaceAuthorization { get; set; }

    public string? NewAuthorization { get; set; }

    public List<NodeForm> Nodes { get; } = [];

    public int MaxAttempts { get; set; } = 5;

    public int BackoffBaseSeconds { get; set; } = 30;

    public int BackoffMaxSeconds { get; set; } = 3600;

    public static DestinationForm New(DestinationKind kind)
    {
        var form = new DestinationForm { Kind = kind };
        if (kind == DestinationKind.DicomNode)
        {
            form.Nodes.Add(new NodeForm());
        }

        // A new destination has no stored header: whatever is typed is the header.
        form.ReplaceAuthorization = kind == DestinationKind.DicomWeb;
        return form;
    }

    public static DestinationForm From(ExportDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var form = new DestinationForm
        {
            Id = destination.Id,
            Kind = destination.Kind,
            Name = destination.Name,
            Enabled = destination.Enabled,
            Description = destination.Description,
            FolderRoot = destination.FolderRoot,
            PathPattern = destination.PathPattern,
            FileNamePattern = destination.FileNamePattern,
            OnlyIntoExistingFolder = destination.OnlyIntoExistingFolder,
            StowUrl = destination.StowUrl,
            AuthorizationMasked = DestinationAdministration.MaskSecret(destination.AuthorizationHeader),
            MaxAttempts = destination.MaxAttempts,
            BackoffBaseSeconds = destination.BackoffBaseSeconds,
            BackoffMaxSeconds = destination.BackoffMaxSeconds,
        };
        form.Nodes.AddRange(destination.Nodes.OrderBy(n => n.Position).Select(NodeForm.From));
        return form;
    }

    /// <summary>
    /// The destination to save. The header is null (keep the stored one) unless the user replaced it;
    /// a replacement left empty clears it.
    /// </summary>
    public ExportDestination ToDestination()
    {
        var destination = new ExportDestination
        {
            Id = Id,
            Name = Name.Trim(),
            Kind = Kind,
            Enabled = Enabled,
            Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            FolderRoot = FolderRoot?.Trim(),
            PathPattern = PathPattern.Trim(),
            FileNamePattern = FileNamePattern.Trim(),
            OnlyIntoExistingFolder = OnlyIntoExistingFolder,
            StowUrl = StowUrl?.Trim(),
            AuthorizationHeader = ReplaceAuthorization ? NewAuthorization?.Trim() ?? "" : null,
            MaxAttempts = MaxAttempts,
            BackoffBaseSeconds = BackoffBaseSeconds,
            BackoffMaxSeconds = BackoffMaxSeconds,
        };
        if (Kind == DestinationKind.DicomNode)
        {
            destination.Nodes.AddRange(Nodes.Select((n, i) => n.ToNode(i)));
        }

        return destination;
    }

    /// <summary>The domain's validation of the current values, by field.</summary>
    public FormProblems Validate() => new(DestinationAdministration.Validate(ToDestination()));

    public void MoveNode(int index, int offset)
    {
        var target = index + offset;
        if (index < 0 || index >= Nodes.Count || target < 0 || target >= Nodes.Count)
        {
            return;
        }

        (Nodes[index], Nodes[target]) = (Nodes[target], Nodes[index]);
    }
}

/// <summary>One DICOM node row of the form (position is its place in the list).</summary>
public sealed class NodeForm
{
    public string AeTitle { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 104;

    public string CallingAeTitle { get; set; } = "DRAW";

    public bool UseTls { get; set; }

    public int TimeoutSeconds { get; set; } = 30;

    public static NodeForm From(DestinationNode node) => new()
    {
        AeTitle = node.AeTitle, Host = node.Host, Port = node.Port, CallingAeTitle = node.CallingAeTitle, UseTls = node.UseTls, TimeoutSeconds = node.TimeoutSeconds,
    };

    public DestinationNode ToNode(int position) => new()
    {
        Position = position, AeTitle = AeTitle.Trim(), Host = Host.Trim(), Port = Port, CallingAeTitle = CallingAeTitle.Trim(), UseTls = UseTls, TimeoutSeconds = TimeoutSeconds,
    };
}

/// <summary>
/// Validation messages grouped by the field they name. The domain's messages start with the field
/// ("FileNamePattern: unknown placeholder...", "Nodes[1].Port (fallback 1) must..."), so the key is
/// the text before the first space or colon.
/// </summary>
public sealed class FormProblems(IReadOnlyList<string> all)
{
    public static readonly FormProblems None = new([]);

    public IReadOnlyList<string> All { get; } = all;

    public bool Any => All.Count > 0;

    public IEnumerable<string> For(string field) => All.Where(p => KeyOf(p) == field);

    /// <summary>Messages whose field has no place of its own in the form.</summary>
    public IEnumerable<string> Except(IReadOnlyCollection<string> placed) => All.Where(p => !placed.Contains(KeyOf(p)));

    public static string KeyOf(string problem)
    {
        var end = problem.AsSpan().IndexOfAny(' ', ':');
        return end < 0 ? problem : problem[..end];
    }
}
