namespace Draw.Domain.Work;

/// <summary>
/// One entry of the change feed: append-only, written in the same transaction as the state change
/// it reports, read by id so a reconnecting dashboard catches up.
/// </summary>
public sealed class EventRecord
{
    public long Id { get; set; }

    public DateTime Time { get; set; }

    public required string Kind { get; set; }

    public long? SeriesId { get; set; }

    /// <summary>A JSON object with the event's details. Never patient identifiers in clear.</summary>
    public string Payload { get; set; } = "{}";
}
