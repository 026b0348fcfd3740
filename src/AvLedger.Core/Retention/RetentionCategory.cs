namespace AvLedger.Core.Retention;

/// <summary>Art. 13: how long a kind of record is kept. Null days mean "until the case file's own
/// disposal". No period is shorter than 180 days from the recording day.</summary>
public sealed class RetentionCategory
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public int? Days { get; set; }
    public bool Disabled { get; set; }
}

public sealed class RecordRetention
{
    public required string RecordId { get; init; }
    public required string CategoryCode { get; init; }
    public required string SetById { get; init; }
    public DateTimeOffset SetAt { get; init; }
}

/// <summary>A hold that keeps a record (or every record of a case) whatever its period says, until released.</summary>
public sealed class LegalHold
{
    public required string Id { get; init; }
    public string? RecordId { get; init; }
    public string? CaseId { get; init; }
    public required string Reason { get; init; }
    public required string PlacedById { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
    public string? ReleasedById { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>An expired record proposed for destruction: a head approves, a recovery window runs, then
/// the original is destroyed and the record stays as a tombstone.</summary>
public sealed class PurgeProposal
{
    public required string Id { get; init; }
    public required string RecordId { get; init; }
    public required string UnitPath { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public DateOnly RetainUntil { get; init; }
    public PurgeState State { get; set; }
    public string? DeciderId { get; set; }
    public string? Opinion { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public DateTimeOffset? DestroyAfter { get; set; }
    public string? CancelledById { get; set; }
    public DateTimeOffset? ExecutedAt { get; set; }
}

public enum PurgeState { Proposed, Approved, Rejected, Cancelled, Executed, Withdrawn }
