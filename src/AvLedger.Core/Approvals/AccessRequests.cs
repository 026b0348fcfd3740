using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Approvals;

/// <summary>What a request names: exactly one of record ids, a session, a case, or an officer's recordings in a time window.</summary>
public sealed record AccessTarget(IReadOnlyList<string>? RecordIds, string? SessionId, string? CaseNumber, string? OfficerBadge, DateTimeOffset? From, DateTimeOffset? To)
{
    public string Type => RecordIds is not null ? "records" : SessionId is not null ? "session" : CaseNumber is not null ? "case" : "officer";

    public string Describe() => Type switch
    {
        "records" => string.Join(',', RecordIds!),
        "session" => SessionId!,
        "case" => CaseNumber!,
        _ => string.Create(CultureInfo.InvariantCulture, $"{OfficerBadge} {From:O} {To:O}"),
    };
}

/// <summary>Art. 17 (R-17b/c): beyond-scope viewing or copying needs the written approval of the
/// department head of the unit that owns the records. A request is split per owning unit; each
/// part goes to that unit's head, or to the nearest ancestor unit's head when it has none.</summary>
public static class AccessRequests
{
    public const int MaxDays = 90;

    public static async Task<AccessRequest> CreateAsync(AvLedgerDb db, Account requester, AccessKind kind, string reason, int days, AccessTarget target, DateTimeOffset now, CancellationToken ct,
        ProvisionDetails? provision = null)
    {
        var request = new AccessRequest
        {
            Id = Ids.New(),
            RequesterId = requester.Id,
            Kind = kind,
            Reason = reason,
            ReasonSalt = NewSalt(),
            Days = days,
            TargetType = target.Type,
            Target = target.Describe(),
            CreatedAt = now,
            Provision = provision,
        };
        // Resolved without the requester's scope: that is the point. The requester never sees this list.
        var records = await Matching(db.Records.AsNoTracking(), db.CaseLinks, target).Where(r => r.UnitId != null)
            .Select(r => new { r.Id, r.UnitId }).Take(10_000).ToListAsync(ct);
        foreach (var group in records.GroupBy(r => r.UnitId!))
        {
            var decisionId = Ids.New();
            request.Decisions.Add(new AccessDecision
            {
                Id = decisionId,
                RequestId = request.Id,
                OwningUnitId = group.Key,
                DecidingUnitId = await DecidingUnitAsync(db, group.Key, ct) ?? group.Key,
                Records = group.Select(r => new AccessDecisionRecord { DecisionId = decisionId, RecordId = r.Id }).ToList(),
            });
        }
        db.AccessRequests.Add(request);
        var recipient = provision is null ? null
            : Commit(request.ReasonSalt, $"recipient\n{provision.RecipientOrganisation}\n{provision.RecipientPerson}\n{provision.LegalBasis}");
        db.LedgerPending.Add(LedgerLeaves.AccessRequested(request, Commit(request.ReasonSalt, reason), recipient, now));
        await db.SaveChangesAsync(ct);
        return request;
    }

    static IQueryable<Record> Matching(IQueryable<Record> records, IQueryable<Cases.CaseLink> caseLinks, AccessTarget t) => t.Type switch
    {
        "records" => records.Where(r => t.RecordIds!.Contains(r.Id)),
        "session" => records.Where(r => r.SessionId == t.SessionId),
        "officer" => records.Where(r => r.OfficerBadge == t.OfficerBadge && r.RecordedEnd >= t.From && r.RecordedStart < t.To),
        // Art. 15: the records linked to the case, directly or through their session.
        _ => Cases.CaseQueries.LinkedToCase(records, caseLinks, t.CaseNumber!),
    };

    /// <summary>The owning unit if it has an active head, else the nearest ancestor that has one.</summary>
    public static async Task<string?> DecidingUnitAsync(AvLedgerDb db, string unitId, CancellationToken ct)
    {
        var path = await db.Units.Where(u => u.Id == unitId).Select(u => u.Path).SingleOrDefaultAsync(ct);
        if (path is null) return null;
        var lineage = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var withHeads = await db.Accounts.Where(a => !a.Disabled && a.UnitId != null && lineage.Contains(a.UnitId) && (a.Roles & Role.DepartmentHead) == Role.DepartmentHead)
            .Select(a => a.UnitId!).Distinct().ToListAsync(ct);
        return lineage.Reverse().FirstOrDefault(withHeads.Contains);
    }

    /// <summary>Records the decision as a written approval: number, approver, time, opinion, how the
    /// approver confirmed; an approval also opens a grant. The ledger gets identifiers and a
    /// commitment to the opinion, never its text.</summary>
    public static async Task DecideAsync(AvLedgerDb db, AccessDecision decision, Account approver, bool approve, string opinion, string confirmedBy, DateTimeOffset now, CancellationToken ct)
    {
        var request = decision.Request ?? await db.AccessRequests.SingleAsync(r => r.Id == decision.RequestId, ct);
        decision.State = approve ? DecisionState.Approved : DecisionState.Rejected;
        decision.ApproverId = approver.Id;
        decision.Opinion = opinion;
        decision.OpinionSalt = NewSalt();
        decision.DecidedAt = now;
        decision.ConfirmedBy = confirmedBy;
        decision.Number = await ApprovalNumbers.NextAsync(db, decision.DecidingUnitId, now, ct);
        if (approve)
            decision.Grant = new AccessGrant
            {
                Id = Ids.New(),
                DecisionId = decision.Id,
                GranteeId = request.RequesterId,
                Kind = request.Kind,
                GrantedAt = now,
                ExpiresAt = now.AddDays(request.Days),
            };
        var recordIds = decision.Records.Count > 0 ? decision.Records.Select(r => r.RecordId).ToList()
            : await db.AccessDecisionRecords.Where(r => r.DecisionId == decision.Id).Select(r => r.RecordId).ToListAsync(ct);
        db.LedgerPending.Add(LedgerLeaves.AccessDecided(decision, request, recordIds, Commit(decision.OpinionSalt, opinion), now));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Asks the head of the unit above the deciding unit for an opinion before deciding a
    /// major, complex or sensitive external provision. Null when there is no superior with a head.</summary>
    public static async Task<string?> RequestConsultationAsync(AvLedgerDb db, AccessDecision decision, CancellationToken ct)
    {
        var parent = await db.Units.Where(u => u.Id == decision.DecidingUnitId).Select(u => u.ParentId).SingleAsync(ct);
        var superior = parent is null ? null : await DecidingUnitAsync(db, parent, ct);
        if (superior is null) return null;
        decision.ConsultUnitId = superior;
        await db.SaveChangesAsync(ct);
        return superior;
    }

    public static async Task RecordConsultationAsync(AvLedgerDb db, AccessDecision decision, Account consultant, string opinion, DateTimeOffset now, CancellationToken ct)
    {
        decision.ConsultantId = consultant.Id;
        decision.ConsultOpinion = opinion;
        decision.ConsultOpinionSalt = NewSalt();
        decision.ConsultedAt = now;
        db.LedgerPending.Add(LedgerLeaves.ProvisionConsulted(decision, Commit(decision.ConsultOpinionSalt, opinion), now));
        await db.SaveChangesAsync(ct);
    }

    public static async Task RevokeAsync(AvLedgerDb db, AccessGrant grant, Account by, DateTimeOffset now, CancellationToken ct)
    {
        grant.RevokedAt = now;
        grant.RevokedById = by.Id;
        db.LedgerPending.Add(LedgerLeaves.AccessRevoked(grant, by.Id, now));
        await db.SaveChangesAsync(ct);
    }

    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A salted SHA-256 commitment: proves later what the text was without revealing it.</summary>
    public static string Commit(string salt, string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + text)));
}
