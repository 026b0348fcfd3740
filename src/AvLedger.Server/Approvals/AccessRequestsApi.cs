using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Approvals;

/// <summary>Access requests, their per-unit written approvals, and the grants they open (Art. 17).</summary>
public static class AccessRequestsApi
{
    public sealed record OfficerWindow(string? OfficerBadge, DateTimeOffset? From, DateTimeOffset? To);
    public sealed record NewRequest(AccessKind? Kind, string? Reason, int? Days, List<string>? RecordIds, string? SessionId, string? CaseNumber, OfficerWindow? Officer);
    public sealed record Decide(string? Opinion, string? Password, bool? WithoutConsultation = null, string? Totp = null);
    public sealed record Created(string Id);
    public sealed record DecisionView(string Id, string State, string? Number, DateTimeOffset? DecidedAt, string? GrantId, DateTimeOffset? ExpiresAt, bool Revoked);
    public sealed record RequestView(string Id, AccessKind Kind, int Days, string TargetType, DateTimeOffset CreatedAt, string State, IReadOnlyList<DecisionView> Decisions);
    public sealed record DecideResult(IReadOnlyList<DecisionView> Decisions);

    public static void MapAccessRequests(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/access-requests").RequireAuthorization();
        requests.MapPost("/", CreateAsync);
        requests.MapGet("/", async (CurrentUser user, AvLedgerDb db, CancellationToken ct) =>
            TypedResults.Ok(await MineAsync(db, user.Id, ct)));
        requests.MapGet("/{id}", GetAsync);
        requests.MapPost("/{id}/approve", (string id, Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(id, approve: true, provision: false, d, user, db, signIns, clock, ct));
        requests.MapPost("/{id}/reject", (string id, Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(id, approve: false, provision: false, d, user, db, signIns, clock, ct));
        app.MapPost("/api/v1/access-grants/{id}/revoke", RevokeAsync).RequireAuthorization();
        app.MapGet("/api/v1/approvals", async (CurrentUser user, AvLedgerDb db, CancellationToken ct) => TypedResults.Ok(await InboxAsync(db, user.Account, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
    }

    public static ProblemHttpResult Invalid(string zh, string en) => Problems.Of(400, "access-request-invalid", "申请无效", "Invalid request", zh, en);

    public static async Task<Results<Created<Created>, ProblemHttpResult>> CreateAsync(NewRequest r, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        if (r.Kind is null) return Invalid("请说明申请查看（view）还是复制（copy）。", "Say whether the request is to view or to copy.");
        // External provision has its own form: a recipient and a legal basis (Art. 17), decided as such.
        if (r.Kind == AccessKind.Provide)
            return Invalid("对外提供须通过 /api/v1/provisions 申请（须写明接收单位和依据）。", "External provision is asked through /api/v1/provisions (with its recipient and legal basis).");
        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 2000) return Invalid("请填写申请理由（不超过 2000 字）。", "Give a reason (at most 2000 characters).");
        if (r.Days is not (>= 1 and <= AccessRequests.MaxDays)) return Invalid($"期限须为 1 至 {AccessRequests.MaxDays} 天。", $"Days must be 1 to {AccessRequests.MaxDays}.");
        var targets = (r.RecordIds is not null ? 1 : 0) + (r.SessionId is not null ? 1 : 0) + (r.CaseNumber is not null ? 1 : 0) + (r.Officer is not null ? 1 : 0);
        if (targets != 1) return Invalid("须且只能指定一种对象：recordIds、sessionId、caseNumber 或 officer{officerBadge, from, to}。", "Name exactly one target: recordIds, sessionId, caseNumber or officer{officerBadge, from, to}.");
        if (r.RecordIds is { } ids && (ids.Count is 0 or > 500 || ids.Any(i => !Ids.LooksValid(i))))
            return Invalid("recordIds 须为 1 至 500 个记录编号。", "recordIds must hold 1 to 500 record ids.");
        if (r.Officer is { } o && (string.IsNullOrWhiteSpace(o.OfficerBadge) || o.From is null || o.To is null || o.To <= o.From))
            return Invalid("officer 须含警号和有效的起止时间。", "officer needs a badge and a valid from/to.");
        var target = new AccessTarget(r.RecordIds?.Distinct().ToList(), r.SessionId, r.CaseNumber, r.Officer?.OfficerBadge, r.Officer?.From, r.Officer?.To);
        var request = await AccessRequests.CreateAsync(db, user.Account, r.Kind.Value, r.Reason.Trim(), r.Days.Value, target, clock.GetUtcNow(), ct);
        return TypedResults.Created($"/api/v1/access-requests/{request.Id}", new Created(request.Id));
    }

    public static async Task<List<RequestView>> MineAsync(AvLedgerDb db, string userId, CancellationToken ct) =>
        (await db.AccessRequests.AsNoTracking().Include(r => r.Decisions).ThenInclude(d => d.Grant)
            .Where(r => r.RequesterId == userId).OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(ct))
        .Select(View).ToList();

    public static RequestView View(AccessRequest r) => new(r.Id, r.Kind, r.Days, r.TargetType, r.CreatedAt, StateOf(r), r.Decisions.Select(View).ToList());

    static DecisionView View(AccessDecision d) =>
        new(d.Id, d.State.ToString().ToLowerInvariant(), d.Number, d.DecidedAt, d.Grant?.Id, d.Grant?.ExpiresAt, d.Grant?.RevokedAt is not null);

    /// <summary>Pending until every part is decided (also when nothing matched: the requester is not told).</summary>
    static string StateOf(AccessRequest r) =>
        r.Decisions.Count == 0 || r.Decisions.Any(d => d.State == DecisionState.Pending) ? "pending"
        : r.Decisions.All(d => d.State == DecisionState.Approved) ? "approved"
        : r.Decisions.All(d => d.State == DecisionState.Rejected) ? "rejected" : "partly-approved";

    /// <summary>The heads of a unit decide its parts; nobody else learns a request exists.</summary>
    public static bool Decides(Account user, AccessDecision d) => user.Has(Role.DepartmentHead) && user.UnitId == d.DecidingUnitId;

    static async Task<IResult> GetAsync(string id, CurrentUser user, AvLedgerDb db, CancellationToken ct)
    {
        var request = Ids.LooksValid(id) ? await db.AccessRequests.AsNoTracking().Include(r => r.Decisions).ThenInclude(d => d.Grant).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (request is null || (request.RequesterId != user.Id && !request.Decisions.Any(d => Decides(user.Account, d)))) return Problems.NotFound();
        return TypedResults.Ok(View(request));
    }

    public static async Task<IResult> DecideAsync(string id, bool approve, bool provision, Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct)
    {
        var request = Ids.LooksValid(id) ? await db.AccessRequests.Include(r => r.Decisions).ThenInclude(x => x.Records).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        // Access requests and external provisions are decided at their own endpoints.
        if (request is null || (request.Kind == AccessKind.Provide) != provision) return Problems.NotFound();
        var mine = request.Decisions.Where(x => Decides(user.Account, x)).ToList();
        if (request.RequesterId == user.Id)
            return Problems.Of(403, "own-request", "不得审批本人的申请", "You cannot decide your own request",
                "本人的调阅申请须由记录所属单位的其他负责人审批。", "Another head of the owning unit must decide it.");
        if (mine.Count == 0) return Problems.NotFound();
        var pending = mine.Where(x => x.State == DecisionState.Pending).ToList();
        if (pending.Count == 0) return Problems.Of(409, "already-decided", "已审批", "Already decided", "该申请已由本单位审批。", "Your unit has already decided this request.");
        if (WrittenConfirmation.OpinionProblem(d.Opinion) is { } noOpinion) return noOpinion;
        if (pending.Any(x => x.ConsultUnitId is not null && x.ConsultedAt is null))
            return Problems.Of(409, "consultation-pending", "正在征求上级意见", "Waiting for the superior's opinion",
                "已征求上级单位负责人意见，须待其回复后再审批。", "The superior unit's head was consulted; decide after their opinion is in.");
        // Art. 17: for major, complex or sensitive matters the superior may be consulted; the system proposes it.
        if (approve && request.Provision is { Sensitive: true } && pending.Any(x => x.ConsultUnitId is null) && d.WithoutConsultation != true)
            return Problems.Of(409, "consultation-proposed", "建议先征求上级意见", "Consulting the superior is proposed",
                "此事项标记为重大、复杂或敏感，建议先征求上级单位负责人意见（POST …/consult）；如不征求，请明确 withoutConsultation: true。",
                "The matter is marked major, complex or sensitive: consult the superior unit's head first (POST …/consult), or say withoutConsultation: true.");
        // A written approval is signed at the moment of deciding: the approver confirms with their password.
        var (confirmedBy, unconfirmed) = await WrittenConfirmation.ConfirmAsync(signIns, user.Account, d.Password, d.Totp, ct);
        if (unconfirmed is not null) return unconfirmed;
        var approver = await db.Accounts.SingleAsync(a => a.Id == user.Id, ct);
        foreach (var decision in pending)
            await AccessRequests.DecideAsync(db, decision, approver, approve, d.Opinion!.Trim(), confirmedBy!, clock.GetUtcNow(), ct);
        return TypedResults.Ok(new DecideResult(pending.Select(View).ToList()));
    }

    static async Task<IResult> RevokeAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var grant = Ids.LooksValid(id) ? await db.AccessGrants.Include(g => g.Decision).SingleOrDefaultAsync(g => g.Id == id, ct) : null;
        // The grantee may give a grant up; the deciding unit's heads may withdraw it.
        if (grant is null || (grant.GranteeId != user.Id && !Decides(user.Account, grant.Decision!))) return Problems.NotFound();
        if (grant.RevokedAt is null) await AccessRequests.RevokeAsync(db, grant, user.Account, clock.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    public sealed record InboxItem(string DecisionId, string RequestId, string State, string? Number, AccessKind Kind, int Days, string Reason, string TargetType,
        string RequesterName, string? RequesterBadge, int RecordCount, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt,
        string? Recipient = null, bool Sensitive = false, bool ConsultRequested = false, bool Consulted = false);

    /// <summary>The head's inbox: their unit's parts, pending first.</summary>
    public static async Task<List<InboxItem>> InboxAsync(AvLedgerDb db, Account head, CancellationToken ct) =>
        !head.Has(Role.DepartmentHead) || head.UnitId is null ? [] :
        await ItemsAsync(db, db.AccessDecisions.Where(d => d.DecidingUnitId == head.UnitId)
            .OrderBy(d => d.State == DecisionState.Pending ? 0 : 1).ThenByDescending(d => d.Request!.CreatedAt), ct);

    /// <summary>Provisions on which a superior head's opinion is asked and not yet given.</summary>
    public static async Task<List<InboxItem>> ConsultationsAsync(AvLedgerDb db, Account head, CancellationToken ct) =>
        !head.Has(Role.DepartmentHead) || head.UnitId is null ? [] :
        await ItemsAsync(db, db.AccessDecisions.Where(d => d.ConsultUnitId == head.UnitId && d.ConsultedAt == null && d.State == DecisionState.Pending)
            .OrderByDescending(d => d.Request!.CreatedAt), ct);

    static Task<List<InboxItem>> ItemsAsync(AvLedgerDb db, IQueryable<AccessDecision> decisions, CancellationToken ct) =>
        decisions.AsNoTracking().Take(200)
            .Select(d => new InboxItem(d.Id, d.RequestId, d.State.ToString(), d.Number, d.Request!.Kind, d.Request.Days, d.Request.Reason, d.Request.TargetType,
                db.Accounts.Where(a => a.Id == d.Request.RequesterId).Select(a => a.DisplayName).FirstOrDefault() ?? "",
                db.Accounts.Where(a => a.Id == d.Request.RequesterId).Select(a => a.Badge).FirstOrDefault(),
                d.Records.Count, d.Request.CreatedAt, d.DecidedAt,
                d.Request.Provision == null ? null : d.Request.Provision.RecipientOrganisation + " " + d.Request.Provision.RecipientPerson,
                d.Request.Provision != null && d.Request.Provision.Sensitive, d.ConsultUnitId != null, d.ConsultedAt != null))
            .ToListAsync(ct);
}
