namespace AvLedger.Core.Sessions;

/// <summary>Art. 10: a time-coded marker on a record, typed by the article's five kinds of key content.
/// Markers are never edited; a correction is a new marker.</summary>
public sealed class KeyContentMarker
{
    public required string Id { get; init; }
    public required string RecordId { get; init; }
    public double OffsetSeconds { get; init; }
    public KeyContent Category { get; init; }
    public required string Note { get; init; }
    public required string NoteSalt { get; init; }
    public required string CreatedById { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Art. 10 (1)–(5).</summary>
public enum KeyContent { Scene, PartyQualification, ViolationEvidence, DocumentsAndMeasures, Other }
