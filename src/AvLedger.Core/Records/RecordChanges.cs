using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Records;

/// <summary>Changes to what a record is, as opposed to its bytes (which never change): who it
/// belongs to, when it arrived unassigned, and its confidentiality level, decided in writing by a
/// head of the deciding unit. Each is a ledger leaf.</summary>
public sealed class RecordChanges(AvLedgerDb db, IWrittenConfirmation confirmation)
{
    public sealed record ChangeView(string Id, string RecordId, Confidentiality From, Confidentiality To, string Reason, string State, DateTimeOffset CreatedAt)
    {
        /// <summary>The record as people recognise it.</summary>
        public string? FileName { get; init; }
    }
    public sealed record WrittenDecision(bool Approve, string? Opinion, string? Password, string? Totp);

    /// <summary>The level changes the person's unit decides, newest first.</summary>
    public async Task<List<ChangeView>> ToDecideAsync(Scope actor, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.DepartmentHead)) return [];
        var unit = actor.Person.UnitId;
        return await db.ConfidentialityChanges.AsNoTracking()
            .Where(c => c.DecidingUnitId == unit).OrderByDescending(c => c.CreatedAt).Take(200)
            .Select(c => new ChangeView(c.Id, c.RecordId, c.From, c.To, c.Reason, c.State.ToString().ToLowerInvariant(), c.CreatedAt)
            {
                FileName = db.Records.Where(r => r.Id == c.RecordId).Select(r => r.FileName).FirstOrDefault(),
            }).ToListAsync(ct);
    }

    public async Task<int> PendingCountAsync(Scope actor, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.DepartmentHead)) return 0;
        var unit = actor.Person.UnitId;
        return await db.ConfidentialityChanges.CountAsync(c => c.DecidingUnitId == unit && c.State == DecisionState.Pending, ct);
    }

    /// <summary>An unassigned upload goes to the officer it really belongs to, and to their unit.</summary>
    public async Task<Refusal?> AssignAsync(Scope actor, string id, string? officerBadge, CancellationToken ct)
    {
        var record = Ids.LooksValid(id) ? await actor.Records(db.Records).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (record is null) return Refusal.NotFound;
        if (!record.Unassigned || !actor.Person.Has(Role.DepartmentHead | Role.DeviceCustodian) || record.UnitId != actor.Person.UnitId)
            return new Refusal(409, "not-assignable");
        var officer = string.IsNullOrWhiteSpace(officerBadge) ? null
            : await db.Accounts.AsNoTracking().SingleOrDefaultAsync(x => x.Badge == officerBadge && !x.Disabled, ct);
        if (officer is null) return AccessRequestDesk.Invalid("badge-unknown", officerBadge ?? "");
        record.OfficerBadge = officer.Badge;
        record.OfficerId = officer.Id;
        record.UnitId = officer.UnitId;
        record.UnitPath = officer.UnitPath;
        record.Unassigned = false;
        var assigned = new AuditEvent { Id = Ids.New(), At = actor.Now, LastAt = actor.Now, ActorId = actor.Id, Action = AuditActions.RecordAssigned, RecordId = record.Id, SubjectId = officer.Id, Requests = 1 };
        db.AuditEvents.Add(assigned);
        db.LedgerPending.Add(LedgerLeaves.RecordAssigned(record, actor.Id, actor.Now, assigned.Id));
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Asks the deciding unit to change a record's confidentiality level.</summary>
    public async Task<Outcome<ConfidentialityChange>> RequestLevelAsync(Scope actor, string id, Confidentiality? level, string? reason, CancellationToken ct)
    {
        var record = Ids.LooksValid(id) ? await actor.Records(db.Records.AsNoTracking()).SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        if (record is null || record.UnitId is null) return Refusal.NotFound;
        if (level is not { } to || to == record.Confidentiality) return AccessRequestDesk.Invalid("level-unchanged");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 2000) return AccessRequestDesk.Invalid("level-reason");
        var change = new ConfidentialityChange
        {
            Id = Ids.New(),
            RecordId = record.Id,
            From = record.Confidentiality,
            To = to,
            RequesterId = actor.Id,
            Reason = reason.Trim(),
            ReasonSalt = AccessRequests.NewSalt(),
            DecidingUnitId = await AccessRequests.DecidingUnitAsync(db, record.UnitId, ct) ?? record.UnitId,
            CreatedAt = actor.Now,
        };
        db.ConfidentialityChanges.Add(change);
        await db.SaveChangesAsync(ct);
        return change;
    }

    /// <summary>A head of the deciding unit, not the requester, approves or rejects in writing; the level, the decision and its leaf are one transaction.</summary>
    public async Task<Refusal?> DecideAsync(Scope actor, string id, WrittenDecision d, CancellationToken ct)
    {
        var change = Ids.LooksValid(id) ? await db.ConfidentialityChanges.SingleOrDefaultAsync(c => c.Id == id, ct) : null;
        if (change is null || !actor.Person.Has(Role.DepartmentHead) || change.DecidingUnitId != actor.Person.UnitId) return Refusal.NotFound;
        if (change.RequesterId == actor.Id) return new Refusal(403, "own-request", "level-change");
        if (change.State != DecisionState.Pending) return new Refusal(409, "already-decided", "level-change");
        if (WrittenOpinion.Check(d.Opinion) is { } noOpinion) return noOpinion;
        if ((await confirmation.ConfirmAsync(actor.Person, new Confirmation(d.Password, d.Totp), ct)).Refusal is { } unconfirmed) return unconfirmed;
        change.State = d.Approve ? DecisionState.Approved : DecisionState.Rejected;
        change.DeciderId = actor.Id;
        change.Opinion = d.Opinion!.Trim();
        change.DecidedAt = actor.Now;
        change.OpinionSalt = AccessRequests.NewSalt();
        if (d.Approve) (await db.Records.SingleAsync(r => r.Id == change.RecordId, ct)).Confidentiality = change.To;
        db.LedgerPending.Add(LedgerLeaves.ConfidentialityChanged(change, AccessRequests.Commit(change.ReasonSalt, change.Reason), AccessRequests.Commit(change.OpinionSalt, change.Opinion), actor.Now));
        await db.SaveChangesAsync(ct);
        return null;
    }
}
