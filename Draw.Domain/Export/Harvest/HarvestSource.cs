namespace Draw.Domain.Export.Harvest;

/// <summary>
/// A results folder (e.g. a DRAW pipeline output tree) scanned for RTSTRUCT files, which go to the
/// listed destinations through the same deliveries and ledger (the DRAW RTSST route, made robust).
/// </summary>
public sealed class HarvestSource
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Path { get; set; }

    /// <summary>Scanned by the workers on its interval; a disabled source is only scanned on request (`draw harvest`).</summary>
    public bool Enabled { get; set; } = true;

    public int IntervalSeconds { get; set; } = 300;

    /// <summary>A file counts once it has not changed for this long.</summary>
    public int QuietPeriodSeconds { get; set; } = 600;

    public List<HarvestSourceDestination> Destinations { get; } = [];

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public DateTime? LastScanAt { get; set; }

    public string? LastScanResult { get; set; }

    public DateTime CreatedAt { get; set; }
}

public sealed class HarvestSourceDestination
{
    public long HarvestSourceId { get; set; }

    public long DestinationId { get; set; }
}

/// <summary>What a scan decided about one file, so an unchanged file is not read again and an error stays visible.</summary>
public sealed class HarvestedFile
{
    public long Id { get; set; }

    public long HarvestSourceId { get; set; }

    public required string Path { get; set; }

    public long Size { get; set; }

    public DateTime ModifiedAt { get; set; }

    public HarvestOutcome Outcome { get; set; }

    /// <summary>Why a file was not exported (unreadable, not an RTSTRUCT, no SOPInstanceUID...).</summary>
    public string? Reason { get; set; }

    public string? SopInstanceUid { get; set; }

    public DateTime DecidedAt { get; set; }
}

public enum HarvestOutcome
{
    /// <summary>An RTSTRUCT: a delivery exists for each destination.</summary>
    Queued,
    NotRtStruct,
    Unreadable,
}
