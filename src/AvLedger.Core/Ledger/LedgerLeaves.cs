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
    public const string RecordStoredKind = "record.stored";

    static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static LedgerPending RecordStored(Record r, DateTimeOffset now) => Pending(RecordStoredKind, now, r.Id, new JsonObject
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
    });

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
        return Pending(e.Action, e.At, null, body);
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
        return Pending("access.requested", now, null, body);
    }

    /// <summary>A written approval or rejection: who decided what for whom, and over which records.</summary>
    public static LedgerPending AccessDecided(AccessDecision d, AccessRequest r, IReadOnlyList<string> recordIds, string opinionCommitment, DateTimeOffset now) =>
        Pending(d.State == DecisionState.Approved ? "access.approved" : "access.rejected", now, null, new JsonObject
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
    public static LedgerPending ProvisionConsulted(AccessDecision d, string opinionCommitment, DateTimeOffset now) => Pending("provision.consulted", now, null, new JsonObject
    {
        ["decisionId"] = d.Id,
        ["requestId"] = d.RequestId,
        ["consultUnit"] = d.ConsultUnitId,
        ["consultant"] = d.ConsultantId,
        ["opinionCommitment"] = opinionCommitment,
        ["at"] = Time(now),
    });

    /// <summary>A record given to its officer after arriving under a badge nobody carried.</summary>
    public static LedgerPending RecordAssigned(Record r, string byId, DateTimeOffset now) => Pending("record.assigned", now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["officer"] = r.OfficerBadge,
        ["unit"] = r.UnitId,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    public static LedgerPending ConfidentialityChanged(ConfidentialityChange c, string reasonCommitment, string opinionCommitment, DateTimeOffset now) =>
        Pending(c.State == DecisionState.Approved ? "record.confidentiality" : "record.confidentiality-refused", now, c.RecordId, new JsonObject
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

    public static LedgerPending AccessRevoked(AccessGrant g, string byId, DateTimeOffset now) => Pending("access.revoked", now, null, new JsonObject
    {
        ["grantId"] = g.Id,
        ["decisionId"] = g.DecisionId,
        ["grantee"] = g.GranteeId,
        ["by"] = byId,
        ["at"] = Time(now),
    });

    static LedgerPending Pending(string kind, DateTimeOffset now, string? recordId, JsonObject body)
    {
        body["kind"] = kind;
        body["v"] = SchemaVersion;
        return new LedgerPending { Kind = kind, Leaf = CanonicalJson.Serialize(body), CreatedAt = now, RecordId = recordId };
    }

    /// <summary>Art. 13: the retention categories a record is kept under, and the end date that follows.</summary>
    public static LedgerPending RetentionSet(Record r, IReadOnlyList<string> categoryCodes, string byId, DateTimeOffset now) => Pending("record.retention", now, r.Id, new JsonObject
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
    public static LedgerPending RecordPurged(Record r, Retention.PurgeProposal p, DateTimeOffset now) => Pending("record.purged", now, r.Id, new JsonObject
    {
        ["recordId"] = r.Id,
        ["sha256"] = r.Sha256,
        ["proposalId"] = p.Id,
        ["approver"] = p.DeciderId,
        ["retainUntil"] = p.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["at"] = Time(now),
    });
}
