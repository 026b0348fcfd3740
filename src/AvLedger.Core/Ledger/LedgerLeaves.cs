using System.Globalization;
using System.Text.Json.Nodes;
using AvLedger.Core.Approvals;
using AvLedger.Core.Audit;
using AvLedger.Core.Records;
using AvLedger.Ledger;

namespace AvLedger.Core.Ledger;

/// <summary>
/// What goes into the log. Leaves carry identifiers, times, kinds and hashes; free text would
/// enter only as a salted commitment, so the log can be handed to an outside auditor. Each leaf
/// names its kind and schema version; a change is a new leaf, never an edit of an old one.
/// </summary>
public static class LedgerLeaves
{
    public const int SchemaVersion = 1;

    static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A record sealed into the vault; <paramref name="auditEventId"/> links the record.stored audit event to this leaf.</summary>
    public static LedgerPending RecordStored(Record r, DateTimeOffset now, string? auditEventId = null) => Pending(LeafKinds.RecordStored, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["sha256"] = r.Sha256,
        ["size"] = r.Size,
        ["device"] = r.DeviceCode,
        ["officer"] = r.OfficerBadge,
        ["unit"] = r.UnitId,
        ["recordedStart"] = Time(r.RecordedStart),
        ["recordedEnd"] = Time(r.RecordedEnd),
        ["savedAt"] = Time(r.SavedAt),
        ["uploadChannel"] = r.UploadChannel,
        ["uploadedBy"] = r.UploadedById,
    }, auditEventId);

    /// <summary>An access or change event: content view, download, and every later audited action.</summary>
    public static LedgerPending Audit(AuditEvent e)
    {
        var body = new JsonObject
        {
            ["eventId"] = e.Id,
            ["actor"] = e.ActorId,
            ["recordId"] = e.RecordId,
            ["at"] = Time(e.At),
        };
        // Administration events name whom they concern and, as identifiers, what changed.
        if (e.SubjectId is not null) body["subject"] = e.SubjectId;
        if (e.Detail is not null) body["detail"] = e.Detail;
        // The record id names it in the record's chain of custody; only record.stored leaves set ledgerIndex.
        return Pending(e.Action, e.At, e.RecordId, body, e.Id);
    }

    public static LedgerPending AccessRequested(AccessRequest r, string reasonCommitment, string? recipientCommitment, DateTimeOffset now)
    {
        var body = new JsonObject
        {
            ["requestId"] = r.Id,
            ["requester"] = r.RequesterId,
            ["accessKind"] = r.Kind.ToString(),
            ["days"] = r.Days,
            ["targetType"] = r.TargetType,
            ["reasonCommitment"] = reasonCommitment,
            ["at"] = Time(now),
        };
        if (recipientCommitment is not null)
        {
            body["recipientCommitment"] = recipientCommitment;
            body["sensitive"] = r.Provision!.Sensitive;
        }
        return Pending(LeafKinds.AccessRequested, now, null, body);
    }

    /// <summary>A written approval or rejection: who decided what for whom, and over which records.</summary>
    public static LedgerPending AccessDecided(AccessDecision d, AccessRequest r, IReadOnlyList<string> recordIds, string opinionCommitment, DateTimeOffset now) =>
        Pending(d.State == DecisionState.Approved ? LeafKinds.AccessApproved : LeafKinds.AccessRejected, now, null, new JsonObject
        {
            ["decisionId"] = d.Id,
            ["requestId"] = r.Id,
            ["number"] = d.Number,
            ["requester"] = r.RequesterId,
            ["approver"] = d.ApproverId,
            ["unit"] = d.DecidingUnitId,
            ["owningUnit"] = d.OwningUnitId,
            ["accessKind"] = r.Kind.ToString(),
            ["grantId"] = d.Grant?.Id,
            ["expiresAt"] = d.Grant is null ? null : Time(d.Grant.ExpiresAt),
            ["confirmedBy"] = d.ConfirmedBy,
            ["opinionCommitment"] = opinionCommitment,
            ["consultUnit"] = d.ConsultUnitId,
            ["consultant"] = d.ConsultantId,
            ["recordIds"] = new JsonArray([.. recordIds.Order(StringComparer.Ordinal).Select(id => JsonValue.Create(id))]),
            ["at"] = Time(now),
        });

    /// <summary>The superior unit's head's opinion on an external provision, before the decision.</summary>
    public static LedgerPending ProvisionConsulted(AccessDecision d, string opinionCommitment, DateTimeOffset now) => Pending(LeafKinds.ProvisionConsulted, now, null, new JsonObject
    {
        ["decisionId"] = d.Id,
        ["requestId"] = d.RequestId,
        ["consultUnit"] = d.ConsultUnitId,
        ["consultant"] = d.ConsultantId,
        ["opinionCommitment"] = opinionCommitment,
        ["at"] = Time(now),
    });

    /// <summary>A record given to its officer after arriving under a badge nobody carried.</summary>
    public static LedgerPending RecordAssigned(Record r, string byId, DateTimeOffset now, string? auditEventId = null) => Pending(LeafKinds.RecordAssigned, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["officer"] = r.OfficerBadge,
        ["unit"] = r.UnitId,
        ["by"] = byId,
        ["at"] = Time(now),
    }, auditEventId);

    public static LedgerPending ConfidentialityChanged(ConfidentialityChange c, string reasonCommitment, string opinionCommitment, DateTimeOffset now) =>
        Pending(c.State == DecisionState.Approved ? LeafKinds.RecordConfidentiality : LeafKinds.RecordConfidentialityRefused, now, c.RecordId, new JsonObject
        {
            ["changeId"] = c.Id,
            ["recordId"] = c.RecordId,
            ["from"] = c.From.ToString(),
            ["to"] = c.To.ToString(),
            ["requester"] = c.RequesterId,
            ["decider"] = c.DeciderId,
            ["reasonCommitment"] = reasonCommitment,
            ["opinionCommitment"] = opinionCommitment,
            ["at"] = Time(now),
        });

    /// <summary>Art. 12: the reason given for a late save, and later its acknowledgement by a head.</summary>
    public static LedgerPending LateSave(string kind, Record r, string actorId, string? reasonCommitment, DateTimeOffset now) => Pending(kind, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["actor"] = actorId,
        ["reasonCommitment"] = reasonCommitment,
        ["at"] = Time(now),
    });

    /// <summary>Art. 12: a head returns an officer's late-save reason, with an opinion (as a commitment).</summary>
    public static LedgerPending LateSaveReturned(Record r, string actorId, string opinionCommitment, DateTimeOffset now) => Pending(LeafKinds.LateSaveReturned, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["actor"] = actorId,
        ["opinionCommitment"] = opinionCommitment,
        ["at"] = Time(now),
    });

    /// <summary>A head confirms the recording time of a record whose media carried none: the times it
    /// now has, which supersede those of its record.stored leaf.</summary>
    public static LedgerPending RecordedTimeConfirmed(Record r, string actorId, string previousSource, DateTimeOffset now, string? auditEventId = null) => Pending(LeafKinds.RecordedTimeConfirmed, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["actor"] = actorId,
        ["previousSource"] = previousSource,
        ["recordedStart"] = Time(r.RecordedStart),
        ["recordedEnd"] = Time(r.RecordedEnd),
        ["at"] = Time(now),
    }, auditEventId);

    public static LedgerPending AccessRevoked(AccessGrant g, string byId, DateTimeOffset now) => Pending(LeafKinds.AccessRevoked, now, null, new JsonObject
    {
        ["grantId"] = g.Id,
        ["decisionId"] = g.DecisionId,
        ["grantee"] = g.GranteeId,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    /// <summary>Art. 9: a record became a segment of a session (created for it when <paramref name="created"/>).</summary>
    public static LedgerPending SegmentAdded(Sessions.EnforcementSession s, Record r, bool created, DateTimeOffset now) => Pending(LeafKinds.SegmentAdded, now, r.Id, new JsonObject
    {
        ["sessionId"] = s.Id,
        ["recordId"] = r.Id,
        ["sessionCreated"] = created,
        ["autoGrouped"] = s.AutoGrouped,
        ["at"] = Time(now),
    });

    /// <summary>A session made or changed by hand: its activity type, location, officers and devices as they now are.</summary>
    public static LedgerPending SessionChanged(string kind, Sessions.EnforcementSession s, string byId, string? textCommitment, DateTimeOffset now) => Pending(kind, now, null, new JsonObject
    {
        ["sessionId"] = s.Id,
        ["activityType"] = s.ActivityType,
        ["officers"] = new JsonArray([.. s.Officers.Select(o => o.AccountId).Order(StringComparer.Ordinal).Select(id => JsonValue.Create(id))]),
        ["devices"] = new JsonArray([.. s.Devices.Select(d => d.DeviceCode).Order(StringComparer.Ordinal).Select(c => JsonValue.Create(c))]),
        ["textCommitment"] = textCommitment,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    /// <summary>Art. 11: an interruption explained; the note enters as a commitment.</summary>
    public static LedgerPending InterruptionReported(Sessions.InterruptionReport r, string noteCommitment) => Pending(LeafKinds.InterruptionReported, r.ReportedAt, null, new JsonObject
    {
        ["reportId"] = r.Id,
        ["sessionId"] = r.SessionId,
        ["from"] = Time(r.From),
        ["to"] = Time(r.To),
        ["reason"] = r.Reason.ToString(),
        ["explanationRecordId"] = r.ExplanationRecordId,
        ["explanationOffsetSeconds"] = r.ExplanationOffsetSeconds,
        ["reportedTo"] = r.ReportedToId,
        ["by"] = r.ReportedById,
        ["noteCommitment"] = noteCommitment,
        ["at"] = Time(r.ReportedAt),
    });

    /// <summary>Art. 11: an activity not recorded, reported; later its acknowledgement by a head.</summary>
    public static LedgerPending NoRecording(string kind, Sessions.NoRecordingReport r, string actorId, string? commitment, DateTimeOffset now) => Pending(kind, now, null, new JsonObject
    {
        ["reportId"] = r.Id,
        ["officer"] = r.OfficerId,
        ["unit"] = r.UnitId,
        ["activityType"] = r.ActivityType,
        ["from"] = Time(r.From),
        ["reason"] = r.Reason.ToString(),
        ["commitment"] = commitment,
        ["actor"] = actorId,
        ["at"] = Time(now),
    });

    /// <summary>Art. 10: a key-content marker on a record.</summary>
    public static LedgerPending MarkerAdded(Sessions.KeyContentMarker m, string noteCommitment) => Pending(LeafKinds.RecordMarker, m.CreatedAt, m.RecordId, new JsonObject
    {
        ["markerId"] = m.Id,
        ["recordId"] = m.RecordId,
        ["offsetSeconds"] = m.OffsetSeconds,
        ["category"] = m.Category.ToString(),
        ["by"] = m.CreatedById,
        ["noteCommitment"] = noteCommitment,
        ["at"] = Time(m.CreatedAt),
    });

    /// <summary>Art. 3: a derivative (clip…) made from a record, once its bytes exist. Not tied to the
    /// record's own ledger index: a derivative is never the record.</summary>
    public static LedgerPending DerivativeMade(Derivatives.Derivative d, string originalSha256, DateTimeOffset now) => Pending(LeafKinds.DerivativeMade, now, null, new JsonObject
    {
        ["derivativeId"] = d.Id,
        ["originalId"] = d.OriginalId,
        ["originalSha256"] = originalSha256,
        ["sha256"] = d.Sha256,
        ["size"] = d.Size,
        ["derivativeKind"] = d.Kind.ToString(),
        ["start"] = d.StartSeconds,
        ["end"] = d.EndSeconds,
        ["by"] = d.CreatedById,
        ["createdAt"] = Time(d.CreatedAt),
        ["at"] = Time(now),
    });

    /// <summary>Art. 15: a record or session linked to a case, by hand or from an enforcement event.
    /// The reason's text stays in the database; the leaf names the event it came from. (No record id on
    /// the pending row: that marks a record's ingest leaf and would move its ledgerIndex.)</summary>
    public static LedgerPending CaseLinked(Cases.CaseLink l, string caseNumber, DateTimeOffset now) => Pending(LeafKinds.CaseLinked, now, null, new JsonObject
    {
        ["linkId"] = l.Id,
        ["caseId"] = l.CaseId,
        ["number"] = caseNumber,
        ["recordId"] = l.RecordId,
        ["sessionId"] = l.SessionId,
        ["automatic"] = l.Automatic,
        ["eventId"] = l.EventId,
        ["actor"] = l.LinkedById,
        ["at"] = Time(now),
    });

    /// <summary>A case created, changed or imported (kind case.created, case.updated, case.status):
    /// identifiers, unit and status; its title, plates and parties stay in the database.</summary>
    public static LedgerPending CaseChanged(string kind, Cases.Case c, string actorId, DateTimeOffset now) => Pending(kind, now, null, new JsonObject
    {
        ["caseId"] = c.Id,
        ["number"] = c.Number,
        ["unit"] = c.UnitId,
        ["status"] = c.Status.ToString(),
        ["closedAt"] = c.ClosedAt is { } closed ? Time(closed) : null,
        ["actor"] = actorId,
        ["at"] = Time(now),
    });

    /// <summary>An on-site enforcement event received from the enforcement management system (the place stays in the database).</summary>
    public static LedgerPending EnforcementEventImported(Cases.EnforcementEvent e, string actorId, DateTimeOffset now) => Pending(LeafKinds.EnforcementEventImported, now, null, new JsonObject
    {
        ["eventId"] = e.Id,
        ["externalId"] = e.ExternalId,
        ["officer"] = e.OfficerBadge,
        ["start"] = Time(e.Start),
        ["end"] = Time(e.End),
        ["number"] = e.CaseNumber,
        ["actor"] = actorId,
        ["at"] = Time(now),
    });

    static LedgerPending Pending(string kind, DateTimeOffset now, string? recordId, JsonObject body, string? auditEventId = null)
    {
        // A kind outside the one list would be a leaf no verifier or report knows; it is a bug, caught before anything is written.
        if (!LeafKinds.IsKnown(kind)) throw new ArgumentException($"'{kind}' is not in LeafKinds", nameof(kind));
        body["kind"] = kind;
        body["v"] = SchemaVersion;
        return new LedgerPending { Kind = kind, Leaf = CanonicalJson.Serialize(body), CreatedAt = now, RecordId = recordId, AuditEventId = auditEventId };
    }

    /// <summary>Art. 13: the retention categories a record is kept under, and the end date that follows.</summary>
    public static LedgerPending RetentionSet(Record r, IReadOnlyList<string> categoryCodes, string byId, DateTimeOffset now) => Pending(LeafKinds.RecordRetention, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["categories"] = new JsonArray([.. categoryCodes.Order(StringComparer.Ordinal).Select(c => JsonValue.Create(c))]),
        ["retainUntil"] = r.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["openEnded"] = r.RetentionOpenEnded,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    /// <summary>A legal hold placed on or released from a record or a case.</summary>
    public static LedgerPending LegalHold(string kind, Retention.LegalHold h, string byId, DateTimeOffset now) => Pending(kind, now, h.RecordId, new JsonObject
    {
        ["holdId"] = h.Id,
        ["recordId"] = h.RecordId,
        ["caseId"] = h.CaseId,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    /// <summary>A purge proposal's steps: proposed, approved, rejected, cancelled (recovered), withdrawn.</summary>
    public static LedgerPending Purge(string kind, Retention.PurgeProposal p, string? byId, DateTimeOffset now) => Pending(kind, now, p.RecordId, new JsonObject
    {
        ["proposalId"] = p.Id,
        ["recordId"] = p.RecordId,
        ["retainUntil"] = p.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["destroyAfter"] = p.DestroyAfter is { } d ? Time(d) : null,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    /// <summary>The original destroyed after an approved purge: the record stays as a tombstone, its hash kept.</summary>
    public static LedgerPending RecordPurged(Record r, Retention.PurgeProposal p, DateTimeOffset now) => Pending(LeafKinds.RecordPurged, now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["sha256"] = r.Sha256,
        ["proposalId"] = p.Id,
        ["approver"] = p.DeciderId,
        ["retainUntil"] = p.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["at"] = Time(now),
    });

    /// <summary>An evidence package's manifest, committed before the package is written; its
    /// proofs are built against a checkpoint that covers this leaf.</summary>
    public static LedgerPending ExportSealed(Exports.EvidenceExport x, string manifestSha256, IReadOnlyList<string> recordIds, DateTimeOffset now) => Pending(LeafKinds.ExportSealed, now, null, new JsonObject
    {
        ["packageId"] = x.Id,
        ["manifestSha256"] = manifestSha256,
        ["recordIds"] = new JsonArray([.. recordIds.Order(StringComparer.Ordinal).Select(id => JsonValue.Create(id))]),
        ["requester"] = x.RequesterId,
        ["provisionId"] = x.ProvisionId,
        ["at"] = Time(now),
    });

    /// <summary>An evidence package downloaded by its requester: which package, which bytes, the audit event.</summary>
    public static LedgerPending ExportDownloaded(Exports.EvidenceExport x, string eventId, DateTimeOffset now) => Pending(LeafKinds.ExportDownloaded, now, null, new JsonObject
    {
        ["packageId"] = x.Id,
        ["packageSha256"] = x.PackageSha256,
        ["eventId"] = eventId,
        ["actor"] = x.RequesterId,
        ["at"] = Time(now),
    }, eventId);

    /// <summary>The recipient's signed receipt of an evidence package, uploaded back: its hash only.</summary>
    public static LedgerPending ExportReceipt(Exports.EvidenceExport x, string byId, DateTimeOffset now) => Pending(LeafKinds.ExportReceipt, now, null, new JsonObject
    {
        ["packageId"] = x.Id,
        ["provisionId"] = x.ProvisionId,
        ["receiptSha256"] = x.ReceiptSha256,
        ["size"] = x.ReceiptSize,
        ["by"] = byId,
        ["at"] = Time(now),
    });
}
