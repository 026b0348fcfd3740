namespace AvLedger.Core.Audit;

public static class AuditActions
{
    public const string ContentView = "record.view";
    public const string ContentDownload = "record.download";
    public const string PackageDownload = "export.download";
    public const string ThumbnailView = "record.thumbnail";
    public const string RecordStored = "record.stored";
    public const string RecordAssigned = "record.assigned";
    public const string RecordedTimeConfirmed = "record.recorded-time-confirmed";
    public const string AccountCreated = "account.created";
    public const string RolesChanged = "account.roles";
    public const string PasswordReset = "account.password-reset";
    public const string AccountDisabled = "account.disabled";
    public const string AccountEnabled = "account.enabled";
    public const string SelfGrantRefused = "account.self-grant-refused";
    public const string TotpEnabled = "account.totp-enabled";
    /// <summary>Separation of duties: a reaching role or clearance proposed, then confirmed, refused or
    /// withdrawn (replaced by a later proposal). One granted alone under the single-administrator rule is
    /// an account.created or account.roles event whose detail ends ";singleAdministrator".</summary>
    public const string GrantProposed = "account.grant-proposed";
    public const string GrantConfirmed = "account.grant-confirmed";
    public const string GrantRefused = "account.grant-refused";
    public const string GrantWithdrawn = "account.grant-withdrawn";
    public const string StationKeyIssued = "station.key-issued";
    public const string StationKeyRevoked = "station.key-revoked";

    /// <summary>Administration events an administrator and the auditors must see (the alert list).</summary>
    public static readonly string[] Administration = [AccountCreated, RolesChanged, PasswordReset, AccountDisabled, AccountEnabled, SelfGrantRefused, TotpEnabled, StationKeyIssued, StationKeyRevoked,
        GrantProposed, GrantConfirmed, GrantRefused, GrantWithdrawn];
}

/// <summary>One access to or change of what the vault holds. A playback's many Range requests
/// fold into one event per user, record and viewing window.</summary>
public sealed class AuditEvent
{
    public required string Id { get; init; }
    public DateTimeOffset At { get; init; }
    public DateTimeOffset LastAt { get; set; }
    public required string ActorId { get; init; }
    public required string Action { get; init; }
    public string? RecordId { get; init; }
    /// <summary>The account, unit or device an administration event is about.</summary>
    public string? SubjectId { get; init; }
    /// <summary>An identifier-only detail, e.g. the roles granted ("Officer,Auditor"); never free text.</summary>
    public string? Detail { get; init; }
    /// <summary>Byte ranges served, summarised ("0-1048575,2097152-"); never content.</summary>
    public string? Ranges { get; set; }
    public int Requests { get; set; }
}
