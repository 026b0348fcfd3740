namespace AvLedger.Core.Cases;

/// <summary>Art. 15: an enforcement case (案件) from the enforcement management system or entered by
/// hand; records and sessions are linked to it.</summary>
public sealed class Case
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string Title { get; set; }
    public string? CaseType { get; set; }
    public CaseStatus Status { get; set; }
    public required string UnitId { get; set; }
    public required string UnitPath { get; set; }
    /// <summary>Vehicle plates and party names, as officers search for them (kept here, not in the ledger).</summary>
    public string? Plates { get; set; }
    public string? Parties { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>The case file's own disposal date, when known: records kept "until the case file's disposal" keep to it.</summary>
    public DateOnly? FileDisposalDate { get; set; }
    public List<CaseLink> Links { get; init; } = [];
}

public enum CaseStatus { Open, Closed, Archived }

/// <summary>A record or session linked to a case, by hand or from an enforcement event, with why.</summary>
public sealed class CaseLink
{
    public required string Id { get; init; }
    public required string CaseId { get; init; }
    public Case? Case { get; init; }
    public string? RecordId { get; init; }
    public string? SessionId { get; init; }
    public bool Automatic { get; init; }
    public string? EventId { get; init; }
    /// <summary>For automatic links, the facts that matched (badge, times, buffer).</summary>
    public string? Reason { get; init; }
    public required string LinkedById { get; init; }
    public DateTimeOffset LinkedAt { get; init; }
}

/// <summary>An on-site enforcement event reported by the enforcement management system.</summary>
public sealed class EnforcementEvent
{
    public required string Id { get; init; }
    public string? ExternalId { get; init; }
    public required string OfficerBadge { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public string? Place { get; init; }
    public required string CaseNumber { get; init; }
    public DateTimeOffset ImportedAt { get; init; }
}
