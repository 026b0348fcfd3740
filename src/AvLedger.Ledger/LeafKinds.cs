using System.Collections.Frozen;
using System.Reflection;

namespace AvLedger.Ledger;

/// <summary>The kind of every leaf AvLedger writes, in one list: the leaf builders, the audit actions that
/// become leaves, the log and package verifiers and the evidence report all name kinds from here. A kind is
/// part of leaves already signed, so it is never renamed or reused.</summary>
public static class LeafKinds
{
    // Records: ingest, custody, Art. 10 markers, Art. 12 late saves, Art. 13 retention and destruction.
    public const string RecordStored = "record.stored";
    public const string RecordAssigned = "record.assigned";
    public const string RecordedTimeConfirmed = "record.recorded-time-confirmed";
    public const string RecordView = "record.view";
    public const string RecordDownload = "record.download";
    public const string RecordThumbnail = "record.thumbnail";
    public const string RecordMarker = "record.marker";
    public const string RecordRetention = "record.retention";
    public const string RecordConfidentiality = "record.confidentiality";
    public const string RecordConfidentialityRefused = "record.confidentiality-refused";
    public const string LateSaveReason = "record.late-save-reason";
    public const string LateSaveAcknowledged = "record.late-save-acknowledged";
    public const string LateSaveReturned = "record.late-save-returned";
    public const string RecordPurged = "record.purged";

    // Approvals: access requests, written decisions, provisions.
    public const string AccessRequested = "access.requested";
    public const string AccessApproved = "access.approved";
    public const string AccessRejected = "access.rejected";
    public const string AccessRevoked = "access.revoked";
    public const string ProvisionConsulted = "provision.consulted";

    // Sessions: Art. 9 grouping, Art. 11 interruptions and activities not recorded.
    public const string SegmentAdded = "session.segment-added";
    public const string SessionCreated = "session.created";
    public const string SessionChanged = "session.changed";
    public const string InterruptionReported = "session.interruption-reported";
    public const string NoRecordingReported = "no-recording.reported";
    public const string NoRecordingAcknowledged = "no-recording.acknowledged";

    // Cases: Art. 15.
    public const string CaseCreated = "case.created";
    public const string CaseUpdated = "case.updated";
    public const string CaseStatus = "case.status";
    public const string CaseLinked = "case.linked";
    public const string EnforcementEventImported = "enforcement-event.imported";

    // Retention: purge steps, legal holds, category changes.
    public const string PurgeProposed = "purge.proposed";
    public const string PurgeApproved = "purge.approved";
    public const string PurgeRejected = "purge.rejected";
    public const string PurgeCancelled = "purge.cancelled";
    public const string PurgeWithdrawn = "purge.withdrawn";
    public const string HoldPlaced = "legal-hold.placed";
    public const string HoldReleased = "legal-hold.released";
    public const string RetentionCategoryChanged = "retention.category-changed";

    // Derivatives and evidence exports.
    public const string DerivativeMade = "derivative.made";
    public const string ExportSealed = "export.sealed";
    public const string ExportDownloaded = "export.downloaded";
    public const string ExportReceipt = "export.receipt";

    // Administration: accounts, role grants (separation of duties), station keys.
    public const string AccountCreated = "account.created";
    public const string RolesChanged = "account.roles";
    public const string PasswordReset = "account.password-reset";
    public const string AccountDisabled = "account.disabled";
    public const string AccountEnabled = "account.enabled";
    public const string SelfGrantRefused = "account.self-grant-refused";
    public const string TotpEnabled = "account.totp-enabled";
    public const string GrantProposed = "account.grant-proposed";
    public const string GrantConfirmed = "account.grant-confirmed";
    public const string GrantRefused = "account.grant-refused";
    public const string GrantWithdrawn = "account.grant-withdrawn";
    public const string StationKeyIssued = "station.key-issued";
    public const string StationKeyRevoked = "station.key-revoked";

    // Audit: an auditor's export of the audit trail is itself an access to it.
    public const string AuditExported = "audit.exported";

    /// <summary>Every kind above, read from the constants themselves so there is no second list to keep.</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(LeafKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string kind) => Known.Contains(kind);
}
