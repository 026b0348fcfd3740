using AvLedger.Ledger;

namespace AvLedger.Core.Audit;

/// <summary>Audited actions. Each audit event is also a ledger leaf of the same kind, except a package
/// download, whose leaf is <see cref="LeafKinds.ExportDownloaded"/> naming the package's bytes.</summary>
public static class AuditActions
{
    public const string ContentView = LeafKinds.RecordView;
    public const string ContentDownload = LeafKinds.RecordDownload;
    public const string PackageDownload = "export.download";
    public const string ThumbnailView = LeafKinds.RecordThumbnail;
    public const string RecordStored = LeafKinds.RecordStored;
    public const string RecordAssigned = LeafKinds.RecordAssigned;
    public const string RecordedTimeConfirmed = LeafKinds.RecordedTimeConfirmed;
    public const string AccountCreated = LeafKinds.AccountCreated;
    public const string RolesChanged = LeafKinds.RolesChanged;
    public const string PasswordReset = LeafKinds.PasswordReset;
    public const string AccountDisabled = LeafKinds.AccountDisabled;
    public const string AccountEnabled = LeafKinds.AccountEnabled;
    public const string SelfGrantRefused = LeafKinds.SelfGrantRefused;
    public const string TotpEnabled = LeafKinds.TotpEnabled;
    /// <summary>Separation of duties: a reaching role or clearance proposed, then confirmed, refused or
    /// withdrawn (replaced by a later proposal). One granted alone under the single-administrator rule is
    /// an account.created or account.roles event whose detail ends ";singleAdministrator".</summary>
    public const string GrantProposed = LeafKinds.GrantProposed;
    public const string GrantConfirmed = LeafKinds.GrantConfirmed;
    public const string GrantRefused = LeafKinds.GrantRefused;
    public const string GrantWithdrawn = LeafKinds.GrantWithdrawn;
    public const string StationKeyIssued = LeafKinds.StationKeyIssued;
    public const string StationKeyRevoked = LeafKinds.StationKeyRevoked;
    /// <summary>An auditor exported the audit trail (CSV); the detail names the filter's kind and dates, never its typed text.</summary>
    public const string TrailExported = LeafKinds.AuditExported;

    /// <summary>Every action an audit event can carry, for the auditors' search (in the order its list shows them).</summary>
    public static readonly string[] Searchable = [ContentView, ContentDownload, ThumbnailView, PackageDownload, RecordStored, RecordAssigned, RecordedTimeConfirmed,
        AccountCreated, RolesChanged, PasswordReset, AccountDisabled, AccountEnabled, SelfGrantRefused, TotpEnabled,
        GrantProposed, GrantConfirmed, GrantRefused, GrantWithdrawn, StationKeyIssued, StationKeyRevoked, TrailExported];

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
