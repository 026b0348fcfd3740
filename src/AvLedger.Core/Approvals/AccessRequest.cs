using AvLedger.Core.Records;

namespace AvLedger.Core.Approvals;

/// <summary>View and Copy open records inside the system; Provide approves external provision (Art. 17),
/// which opens only the evidence export of those records.</summary>
public enum AccessKind { View, Copy, Provide }

public enum DecisionState { Pending, Approved, Rejected }

/// <summary>A request to view or copy records beyond one's scope (Art. 17). The target is resolved
/// to records when the request is made; each owning unit then decides its part.</summary>
public sealed class AccessRequest
{
    public required string Id { get; init; }
    public required string RequesterId { get; init; }
    public AccessKind Kind { get; init; }
    /// <summary>Free text: kept here, entering the ledger only as a salted commitment.</summary>
    public required string Reason { get; init; }
    public required string ReasonSalt { get; init; }
    public int Days { get; init; }
    /// <summary>How the requester named the records: "records", "session", "case" or "officer".</summary>
    public required string TargetType { get; init; }
    public string? Target { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Who receives the records and why; only for external provision.</summary>
    public ProvisionDetails? Provision { get; init; }
    public List<AccessDecision> Decisions { get; init; } = [];
}

/// <summary>External provision (对外提供): to whom, for what, on what legal basis. "Sensitive" marks a
/// major, complex or sensitive matter, for which the system proposes consulting the superior unit.</summary>
public sealed class ProvisionDetails
{
    public required string RecipientOrganisation { get; init; }
    public required string RecipientPerson { get; init; }
    public required string LegalBasis { get; init; }
    public bool Sensitive { get; init; }
}

/// <summary>One owning unit's part of a request, and, once decided, the written approval (书面审批):
/// numbered, signed by the approver's confirmed password, kept and ledgered.</summary>
public sealed class AccessDecision
{
    public required string Id { get; init; }
    public required string RequestId { get; init; }
    public AccessRequest? Request { get; init; }
    /// <summary>The unit that owns the records.</summary>
    public required string OwningUnitId { get; init; }
    /// <summary>The unit whose head decides: the owning unit, or its nearest ancestor with a head.</summary>
    public required string DecidingUnitId { get; init; }
    public DecisionState State { get; set; }
    public string? ApproverId { get; set; }
    public string? Opinion { get; set; }
    public string? OpinionSalt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>The document number (文号), given when decided.</summary>
    public string? Number { get; set; }
    /// <summary>How the approver confirmed at the moment of deciding ("password" or "totp").</summary>
    public string? ConfirmedBy { get; set; }
    public List<AccessDecisionRecord> Records { get; init; } = [];
    public AccessGrant? Grant { get; set; }

    /// <summary>The superior unit whose head was consulted before deciding (external provision).</summary>
    public string? ConsultUnitId { get; set; }
    public string? ConsultantId { get; set; }
    public string? ConsultOpinion { get; set; }
    public string? ConsultOpinionSalt { get; set; }
    public DateTimeOffset? ConsultedAt { get; set; }
}

public sealed class AccessDecisionRecord
{
    public required string DecisionId { get; init; }
    public AccessDecision? Decision { get; init; }
    public required string RecordId { get; init; }
    public Record? Record { get; init; }
}

/// <summary>What an approval opens: the decision's records, to the requester, until it expires or is revoked.</summary>
public sealed class AccessGrant
{
    public required string Id { get; init; }
    public required string DecisionId { get; init; }
    public AccessDecision? Decision { get; init; }
    public required string GranteeId { get; init; }
    public AccessKind Kind { get; init; }
    public DateTimeOffset GrantedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedById { get; set; }
}
