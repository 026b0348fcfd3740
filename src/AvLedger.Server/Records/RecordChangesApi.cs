using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Records;

/// <summary>Changes to what a record is, as opposed to its bytes (which never change): who it
/// belongs to, when it arrived unassigned, and its confidentiality level. Each is a ledger leaf.</summary>
public static class RecordChangesApi
{
    public sealed record Assignment(string? OfficerBadge);
    public sealed record LevelRequest(Confidentiality? Level, string? Reason);
    public sealed record ChangeView(string Id, string RecordId, Confidentiality From, Confidentiality To, string Reason, string State, DateTimeOffset CreatedAt);

    public static void MapRecordChanges(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/assign", AssignAsync).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/confidentiality", RequestLevelAsync).RequireAuthorization();
        var changes = app.MapGroup("/api/v1/confidentiality-changes").RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        changes.MapGet("/", async (CurrentUser user, AvLedgerDb db, CancellationToken ct) => TypedResults.Ok(await ChangesAsync(db, user.Account, ct)));
        changes.MapPost("/{id}/approve", (string id, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(id, approve: true, d, user, db, signIns, clock, ct));
        changes.MapPost("/{id}/reject", (string id, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(id, approve: false, d, user, db, signIns, clock, ct));
    }

    public static async Task<List<ChangeView>> ChangesAsync(AvLedgerDb db, Account head, CancellationToken ct) =>
        await db.ConfidentialityChanges.AsNoTracking()
            .Where(c => c.DecidingUnitId == head.UnitId).OrderByDescending(c => c.CreatedAt).Take(200)
            .Select(c => new ChangeView(c.Id, c.RecordId, c.From, c.To, c.Reason, c.State.ToString().ToLowerInvariant(), c.CreatedAt)).ToListAsync(ct);

    /// <summary>An unassigned upload goes to the officer it really belongs to, and to their unit.</summary>
    static async Task<IResult> AssignAsync(string id, Assignment a, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = Ids.LooksValid(id) ? await db.Records.VisibleTo(user, now).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (record is null) return Problems.NotFound();
        if (!record.Unassigned || !user.Account.Has(Role.DepartmentHead | Role.DeviceCustodian) || record.UnitId != user.Account.UnitId)
            return Problems.Of(409, "not-assignable", "该记录无需指派", "Not assignable",
                "只有本单位收到的未指派记录可由本单位负责人或设备管理员指派。", "Only unassigned records of your unit can be assigned, by its heads or device custodians.");
        var officer = string.IsNullOrWhiteSpace(a.OfficerBadge) ? null
            : await db.Accounts.AsNoTracking().SingleOrDefaultAsync(x => x.Badge == a.OfficerBadge && !x.Disabled, ct);
        if (officer is null)
            return AccessRequestsApi.Invalid($"警号 {a.OfficerBadge} 没有对应的在职执法人员。", $"No active officer carries badge {a.OfficerBadge}.");
        record.OfficerBadge = officer.Badge;
        record.OfficerId = officer.Id;
        record.UnitId = officer.UnitId;
        record.UnitPath = officer.UnitPath;
        record.Unassigned = false;
        db.AuditEvents.Add(new AuditEvent { Id = Ids.New(), At = now, LastAt = now, ActorId = user.Id, Action = AuditActions.RecordAssigned, RecordId = record.Id, SubjectId = officer.Id, Requests = 1 });
        db.LedgerPending.Add(LedgerLeaves.RecordAssigned(record, user.Id, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> RequestLevelAsync(string id, LevelRequest r, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = Ids.LooksValid(id) ? await db.Records.AsNoTracking().VisibleTo(user, now).SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        if (record is null || record.UnitId is null) return Problems.NotFound();
        if (r.Level is not { } level || level == record.Confidentiality)
            return AccessRequestsApi.Invalid("请指定与当前不同的密级：none、personalPrivacy、commercialSecret、stateSecret。", "Give a level different from the current one: none, personalPrivacy, commercialSecret, stateSecret.");
        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 2000) return AccessRequestsApi.Invalid("请填写理由（不超过 2000 字）。", "Give a reason (at most 2000 characters).");
        var change = new ConfidentialityChange
        {
            Id = Ids.New(),
            RecordId = record.Id,
            From = record.Confidentiality,
            To = level,
            RequesterId = user.Id,
            Reason = r.Reason.Trim(),
            ReasonSalt = AccessRequests.NewSalt(),
            DecidingUnitId = await AccessRequests.DecidingUnitAsync(db, record.UnitId, ct) ?? record.UnitId,
            CreatedAt = now,
        };
        db.ConfidentialityChanges.Add(change);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/confidentiality-changes/{change.Id}", new AccessRequestsApi.Created(change.Id));
    }

    public static async Task<IResult> DecideAsync(string id, bool approve, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct)
    {
        var change = Ids.LooksValid(id) ? await db.ConfidentialityChanges.SingleOrDefaultAsync(c => c.Id == id, ct) : null;
        if (change is null || change.DecidingUnitId != user.Account.UnitId) return Problems.NotFound();
        if (change.RequesterId == user.Id)
            return Problems.Of(403, "own-request", "不得审批本人的申请", "You cannot decide your own request", "须由本单位其他负责人或上级审批。", "Another head must decide it.");
        if (change.State != DecisionState.Pending) return Problems.Of(409, "already-decided", "已审批", "Already decided");
        if (WrittenConfirmation.OpinionProblem(d.Opinion) is { } noOpinion) return noOpinion;
        var (_, unconfirmed) = await WrittenConfirmation.ConfirmAsync(signIns, user.Account, d.Password, d.Totp, ct);
        if (unconfirmed is not null) return unconfirmed;
        var now = clock.GetUtcNow();
        change.State = approve ? DecisionState.Approved : DecisionState.Rejected;
        change.DeciderId = user.Id;
        change.Opinion = d.Opinion!.Trim();
        change.DecidedAt = now;
        change.OpinionSalt = AccessRequests.NewSalt();
        // The level, the decision and its leaf are one transaction.
        if (approve) (await db.Records.SingleAsync(r => r.Id == change.RecordId, ct)).Confidentiality = change.To;
        db.LedgerPending.Add(LedgerLeaves.ConfidentialityChanged(change, AccessRequests.Commit(change.ReasonSalt, change.Reason), AccessRequests.Commit(change.OpinionSalt, change.Opinion), now));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
