using AvLedger.Core.Approvals;

namespace AvLedger.Core.Records;

/// <summary>Art. 18: a record's confidentiality level changes only with the owning unit's head's
/// approval (confirmed with their password), and every change is audited and ledgered.</summary>
public sealed class ConfidentialityChange
{
    public required string Id { get; init; }
    public required string RecordId { get; init; }
    public Confidentiality From { get; init; }
    public Confidentiality To { get; init; }
    public required string RequesterId { get; init; }
    public required string Reason { get; init; }
    public required string ReasonSalt { get; init; }
    public required string DecidingUnitId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DecisionState State { get; set; }
    public string? DeciderId { get; set; }
    public string? Opinion { get; set; }
    public string? OpinionSalt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}
