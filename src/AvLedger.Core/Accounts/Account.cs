namespace AvLedger.Core.Accounts;

public enum Role
{
    Administrator,
    Officer,
    DepartmentHead,
    Inspector,
    Auditor,
    DeviceCustodian,
    CaseHandler,
}

/// <summary>A person who signs in. The badge (警号) is what recorders and uploads name.</summary>
public sealed class Account
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string PasswordHash { get; set; }
    public required Role Role { get; set; }
    public required string DisplayName { get; set; }
    public string? Badge { get; set; }
    public string? UnitId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool Disabled { get; set; }
    /// <summary>Wrong passwords in a row; reset by a successful sign-in.</summary>
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}
