using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Exports;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Approvals;

/// <summary>The deciding heads' side of Art. 17: the written approval (书面审批) of each unit's part of
/// a request or provision, the superior's opinion on a sensitive provision, revoking a grant, and the
/// approval document. Every decision is signed by the decider's confirmation at the moment of deciding.</summary>
public sealed class WrittenApprovals(AvLedgerDb db, IWrittenConfirmation confirmations)
{
    public sealed record DecideResult(IReadOnlyList<AccessRequestDesk.DecisionView> Decisions);

    public sealed record InboxItem(string DecisionId, string RequestId, string State, string? Number, AccessKind Kind, int Days, string Reason, string TargetType,
        string RequesterName, string? RequesterBadge, int RecordCount, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt,
        string? Recipient = null, bool Sensitive = false, bool ConsultRequested = false, bool Consulted = false);

    public sealed record DocumentRecord(string Id, string FileName, DateTimeOffset RecordedStart);
    public sealed record Document(string RequestId, string? Number, AccessKind Kind, int Days, string Reason, DecisionState State, string? Opinion, DateTimeOffset? DecidedAt,
        string? ConfirmedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string RequesterName, string? RequesterBadge, string? RequesterUnit, string? ApproverName,
        string DecidingUnit, List<DocumentRecord> Records, bool ReaderIsRequester, ProvisionDetails? Provision, List<EvidenceExporting.PackageRow>? Packages);

    static readonly Refusal OwnRequest = new(403, "own-request");
    static readonly Refusal AlreadyDecided = new(409, "already-decided");
    static readonly Refusal ConsultationPending = new(409, "consultation-pending");
    static readonly Refusal ConsultationProposed = new(409, "consultation-proposed");
    static readonly Refusal NoSuperior = new(409, "no-superior");

    /// <summary>Approves or rejects the head's unit's pending parts of a request (or, with
    /// <paramref name="provision"/>, of an external provision: each is decided at its own endpoint).</summary>
    public async Task<Outcome<DecideResult>> DecideAsync(Scope head, string id, bool approve, bool provision, string? opinion, bool withoutConsultation,
        Confirmation confirmation, CancellationToken ct)
    {
        var request = Ids.LooksValid(id) ? await db.AccessRequests.Include(r => r.Decisions).ThenInclude(x => x.Records).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (request is null || (request.Kind == AccessKind.Provide) != provision) return Refusal.NotFound;
        var mine = request.Decisions.Where(head.Decides).ToList();
        if (request.RequesterId == head.Id) return OwnRequest;
        if (mine.Count == 0) return Refusal.NotFound;
        var pending = mine.Where(x => x.State == DecisionState.Pending).ToList();
        if (pending.Count == 0) return AlreadyDecided;
        if (WrittenOpinion.Check(opinion) is { } noOpinion) return noOpinion;
        if (pending.Any(x => x.ConsultUnitId is not null && x.ConsultedAt is null)) return ConsultationPending;
        // Art. 17: for major, complex or sensitive matters the superior may be consulted; the system proposes it.
        if (approve && request.Provision is { Sensitive: true } && pending.Any(x => x.ConsultUnitId is null) && !withoutConsultation) return ConsultationProposed;
        // A written approval is signed at the moment of deciding.
        var confirmed = await confirmations.ConfirmAsync(head.Person, confirmation, ct);
        if (confirmed.Refusal is { } unconfirmed) return unconfirmed;
        var approver = await db.Accounts.SingleAsync(a => a.Id == head.Id, ct);
        foreach (var decision in pending)
            await AccessRequests.DecideAsync(db, decision, approver, approve, opinion!.Trim(), confirmed.Value!, head.Now, ct);
        return new DecideResult(pending.Select(AccessRequestDesk.View).ToList());
    }

    /// <summary>The grantee may give a grant up; the deciding unit's heads may withdraw it. Revoking twice changes nothing.</summary>
    public async Task<Refusal?> RevokeAsync(Scope actor, string grantId, CancellationToken ct)
    {
        var grant = Ids.LooksValid(grantId) ? await db.AccessGrants.Include(g => g.Decision).SingleOrDefaultAsync(g => g.Id == grantId, ct) : null;
        if (grant is null || (grant.GranteeId != actor.Id && !actor.Decides(grant.Decision!))) return Refusal.NotFound;
        if (grant.RevokedAt is null) await AccessRequests.RevokeAsync(db, grant, actor.Person, actor.Now, ct);
        return null;
    }

    /// <summary>The deciding head asks the superior unit's head for an opinion first; the answer names the superior unit.</summary>
    public async Task<Outcome<AccessRequestDesk.ConsultView>> ConsultAsync(Scope head, string provisionId, CancellationToken ct)
    {
        var r = await AccessRequestDesk.FindProvisionAsync(db, provisionId, ct);
        var mine = r?.Decisions.Where(d => head.Decides(d) && d.State == DecisionState.Pending && d.ConsultUnitId is null).ToList() ?? [];
        if (r is null || mine.Count == 0) return Refusal.NotFound;
        string? superior = null;
        foreach (var decision in mine) superior = await AccessRequests.RequestConsultationAsync(db, decision, ct);
        if (superior is null) return NoSuperior;
        return new AccessRequestDesk.ConsultView(await db.Units.Where(u => u.Id == superior).Select(u => u.Code).SingleAsync(ct), false);
    }

    /// <summary>The superior head's opinion, confirmed like a decision.</summary>
    public async Task<Refusal?> AnswerAsync(Scope consultant, string provisionId, string? opinion, Confirmation confirmation, CancellationToken ct)
    {
        var r = await AccessRequestDesk.FindProvisionAsync(db, provisionId, ct);
        var asked = r?.Decisions.Where(d => consultant.IsConsultedOn(d) && d.ConsultedAt is null).ToList() ?? [];
        if (r is null || asked.Count == 0) return Refusal.NotFound;
        if (WrittenOpinion.Check(opinion) is { } noOpinion) return noOpinion;
        var confirmed = await confirmations.ConfirmAsync(consultant.Person, confirmation, ct);
        if (confirmed.Refusal is { } unconfirmed) return unconfirmed;
        var account = await db.Accounts.SingleAsync(a => a.Id == consultant.Id, ct);
        foreach (var decision in asked) await AccessRequests.RecordConsultationAsync(db, decision, account, opinion!.Trim(), consultant.Now, ct);
        return null;
    }

    /// <summary>The head's inbox: their unit's parts, pending first.</summary>
    public async Task<List<InboxItem>> InboxAsync(Scope head, CancellationToken ct)
    {
        var unitId = head.Person.UnitId;
        return !head.Person.Has(Role.DepartmentHead) || unitId is null ? [] :
            await ItemsAsync(db.AccessDecisions.Where(d => d.DecidingUnitId == unitId)
                .OrderBy(d => d.State == DecisionState.Pending ? 0 : 1).ThenByDescending(d => d.Request!.CreatedAt), ct);
    }

    /// <summary>What waits for the head's decision or opinion: their unit's pending parts and the consultations asked of them.</summary>
    public async Task<int> PendingCountAsync(Scope head, CancellationToken ct)
    {
        var unitId = head.Person.UnitId;
        if (!head.Person.Has(Role.DepartmentHead) || unitId is null) return 0;
        return await db.AccessDecisions.CountAsync(d => d.State == DecisionState.Pending && (d.DecidingUnitId == unitId || (d.ConsultUnitId == unitId && d.ConsultedAt == null)), ct);
    }

    /// <summary>A record as a head sees it on an approval card: what it is, whose, when, and whether they may play it.</summary>
    public sealed record RecordCard(string RecordId, string FileName, string MediaKind, bool HasThumbnail, string? OfficerName, string? OfficerBadge,
        DateTimeOffset RecordedStart, double? DurationSeconds, string? ActivityType, bool Purged, bool Playable);

    /// <summary>The records of the parts the head decides or is consulted on, by part, so a decision is taken with the records in view.</summary>
    public async Task<Dictionary<string, List<RecordCard>>> RecordsAsync(Scope head, IReadOnlyCollection<string> decisionIds, CancellationToken ct)
    {
        if (!head.Person.Has(Role.DepartmentHead) || head.Person.UnitId is not { } unitId || decisionIds.Count == 0) return [];
        var ids = decisionIds.ToList();
        var rows = await db.AccessDecisionRecords.AsNoTracking()
            .Where(x => ids.Contains(x.DecisionId) && (x.Decision!.DecidingUnitId == unitId || x.Decision.ConsultUnitId == unitId))
            .OrderBy(x => x.Record!.RecordedStart)
            .Select(x => new
            {
                x.DecisionId,
                Card = new RecordCard(x.RecordId, x.Record!.FileName, x.Record.MediaKind, x.Record.HasThumbnail,
                    db.Accounts.Where(a => a.Id == x.Record.OfficerId).Select(a => a.DisplayName).FirstOrDefault(), x.Record.OfficerBadge,
                    x.Record.RecordedStart, x.Record.DurationSeconds, x.Record.ActivityType, x.Record.PurgedAt != null, false),
            })
            .Take(2000).ToListAsync(ct);
        var recordIds = rows.Select(r => r.Card.RecordId).Distinct().ToList();
        var playable = (await head.Records(db.Records.AsNoTracking(), Access.View).Where(r => recordIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        return rows.GroupBy(r => r.DecisionId).ToDictionary(g => g.Key, g => g.Select(r => r.Card with
        {
            RecordedStart = RecordingTimes.ToChina(r.Card.RecordedStart),
            Playable = !r.Card.Purged && playable.Contains(r.Card.RecordId),
        }).ToList());
    }

    /// <summary>Provisions on which a superior head's opinion is asked and not yet given.</summary>
    public async Task<List<InboxItem>> ConsultationsAsync(Scope head, CancellationToken ct)
    {
        var unitId = head.Person.UnitId;
        return !head.Person.Has(Role.DepartmentHead) || unitId is null ? [] :
            await ItemsAsync(db.AccessDecisions.Where(d => d.ConsultUnitId == unitId && d.ConsultedAt == null && d.State == DecisionState.Pending)
                .OrderByDescending(d => d.Request!.CreatedAt), ct);
    }

    Task<List<InboxItem>> ItemsAsync(IQueryable<AccessDecision> decisions, CancellationToken ct) =>
        decisions.AsNoTracking().Take(200)
            .Select(d => new InboxItem(d.Id, d.RequestId, d.State.ToString(), d.Number, d.Request!.Kind, d.Request.Days, d.Request.Reason, d.Request.TargetType,
                db.Accounts.Where(a => a.Id == d.Request.RequesterId).Select(a => a.DisplayName).FirstOrDefault() ?? "",
                db.Accounts.Where(a => a.Id == d.Request.RequesterId).Select(a => a.Badge).FirstOrDefault(),
                d.Records.Count, d.Request.CreatedAt, d.DecidedAt,
                d.Request.Provision == null ? null : d.Request.Provision.RecipientOrganisation + " " + d.Request.Provision.RecipientPerson,
                d.Request.Provision != null && d.Request.Provision.Sensitive, d.ConsultUnitId != null, d.ConsultedAt != null))
            .ToListAsync(ct);

    /// <summary>A decided part as its approval document, for whoever <see cref="Scope.ReadsApproval"/>
    /// (requester, approver, deciding heads, auditors over the deciding unit); a provision's lists the
    /// packages exported under it.</summary>
    public async Task<Outcome<Document>> DocumentAsync(Scope reader, string decisionId, CancellationToken ct)
    {
        var d = Ids.LooksValid(decisionId)
            ? await db.AccessDecisions.AsNoTracking().Include(x => x.Request).Include(x => x.Grant).SingleOrDefaultAsync(x => x.Id == decisionId && x.Number != null, ct)
            : null;
        if (d is null) return Refusal.NotFound;
        var decidingPath = await db.Units.Where(u => u.Id == d.DecidingUnitId).Select(u => u.Path).SingleAsync(ct);
        if (!reader.ReadsApproval(d, decidingPath)) return Refusal.NotFound;
        var request = d.Request!;
        var requester = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == request.RequesterId, ct);
        var packages = request.Kind != AccessKind.Provide ? null
            : await EvidenceExporting.RowsAsync(db.EvidenceExports.Where(x => x.ProvisionId == request.Id).OrderByDescending(x => x.Id), ct);
        return new Document(request.Id, d.Number, request.Kind, request.Days, request.Reason, d.State, d.Opinion, d.DecidedAt, d.ConfirmedBy, d.Grant?.ExpiresAt, d.Grant?.RevokedAt,
            requester.DisplayName, requester.Badge,
            await db.Units.Where(u => u.Id == requester.UnitId).Select(u => u.Name).FirstOrDefaultAsync(ct),
            await db.Accounts.Where(a => a.Id == d.ApproverId).Select(a => a.DisplayName).FirstOrDefaultAsync(ct),
            await db.Units.Where(u => u.Id == d.DecidingUnitId).Select(u => u.Name).SingleAsync(ct),
            await db.AccessDecisionRecords.Where(r => r.DecisionId == d.Id).OrderBy(r => r.Record!.RecordedStart)
                .Select(r => new DocumentRecord(r.RecordId, r.Record!.FileName, r.Record.RecordedStart)).ToListAsync(ct),
            request.RequesterId == reader.Id, request.Provision, packages);
    }
}
