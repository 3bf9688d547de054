namespace Draw.Domain.Export;

/// <summary>
/// Somewhere a finished RTSTRUCT goes: a folder (with naming patterns), write-back beside the
/// series' own images, a DICOM node (a primary and ordered fallbacks) or a DICOMweb STOW-RS
/// endpoint. Stored in the database so the dashboard can edit it; each has its own retry policy.
/// </summary>
public sealed class ExportDestination
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public DestinationKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    public string? Description { get; set; }

    /// <summary>Folder: the root every file goes under.</summary>
    public string? FolderRoot { get; set; }

    /// <summary>Folder: sub-folders under the root, '/'-separated, with placeholders (empty = the root itself).</summary>
    public string PathPattern { get; set; } = "{PatientID}";

    /// <summary>Folder: the file's name, with placeholders.</summary>
    public string FileNamePattern { get; set; } = ExportNaming.DefaultFileName;

    /// <summary>Folder: write only when the folder from the path pattern already exists (as DRAW RTSST does); never create it.</summary>
    public bool OnlyIntoExistingFolder { get; set; }

    /// <summary>DICOMweb: the STOW-RS URL (e.g. https://pacs/dicom-web/studies).</summary>
    public string? StowUrl { get; set; }

    /// <summary>DICOMweb: the whole Authorization header value (e.g. "Bearer ..."). A secret: never logged, masked when listed.</summary>
    public string? AuthorizationHeader { get; set; }

    /// <summary>DICOM node: the primary (position 0) and its fallbacks, tried in position order.</summary>
    public List<DestinationNode> Nodes { get; } = [];

    /// <summary>Attempts of one delivery before it is parked as failed for a person.</summary>
    public int MaxAttempts { get; set; } = 5;

    public int BackoffBaseSeconds { get; set; } = 30;

    public int BackoffMaxSeconds { get; set; } = 3600;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

public enum DestinationKind
{
    /// <summary>A folder with a path pattern and a file-name pattern.</summary>
    Folder,

    /// <summary>Beside the series' own images, as RS_PatientID_DRAW_timestamp.dcm (the DRAW client's behaviour).</summary>
    WriteBack,

    /// <summary>C-STORE to a primary node, then its fallbacks in order.</summary>
    DicomNode,

    /// <summary>DICOMweb STOW-RS.</summary>
    DicomWeb,
}

/// <summary>One DICOM node of a <see cref="DestinationKind.DicomNode"/> destination.</summary>
public sealed class DestinationNode
{
    public long Id { get; set; }

    public long DestinationId { get; set; }

    /// <summary>0 is the primary; fallbacks follow in ascending order.</summary>
    public int Position { get; set; }

    /// <summary>The called AE title.</summary>
    public required string AeTitle { get; set; }

    public required string Host { get; set; }

    public int Port { get; set; } = 104;

    public string CallingAeTitle { get; set; } = "DRAW";

    /// <summary>TLS (PS3.15 B.1) with the system's certificate validation.</summary>
    public bool UseTls { get; set; }

    /// <summary>Connect, association and response timeout.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public override string ToString() => $"{AeTitle}@{Host}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
