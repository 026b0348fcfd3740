using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Retention;

/// <summary>Art. 13: the purge proposals the retention pass makes, decided in writing by a head
/// over the record's unit, with a recovery window before anything is destroyed. Nothing here removes
/// an original: destruction is the retention pass's, after the window.</summary>
public sealed class PurgeDecisions(AvLedgerDb db, IWrittenConfirmation confirmation)
{
    /// <summary>A head's written decision: the opinion, and the password or one-time code that confirms it.</summary>
    public sealed record WrittenDecision(bool Approve, string? Opinion, string? Password, string? Totp);

    public sealed record ProposalView(string Id, string RecordId, string? FileName, string? OfficerBadge, DateTimeOffset RecordedStart, DateOnly RetainUntil,
        string State, DateTimeOffset ProposedAt, string? DeciderId, DateTimeOffset? DecidedAt, DateTimeOffset? DestroyAfter, DateTimeOffset? ExecutedAt);

    /// <summary>The proposals of the person's subtree, newest first; <paramref name="state"/> is a <see cref="PurgeState"/> name or null for all.</summary>
    public async Task<Outcome<List<ProposalView>>> ListAsync(Scope actor, string? state, CancellationToken ct)
    {
        PurgeState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<PurgeState>(state, ignoreCase: true, out var s)) return RetentionSettings.Invalid("purge-state");
            wanted = s;
        }
        if (actor.Person.UnitPath is null) return new List<ProposalView>();
        var query = actor.PurgeProposals(db.PurgeProposals.AsNoTracking(), db.Records);
        if (wanted is { } w) query = query.Where(p => p.State == w);
        return await Views(query.OrderByDescending(p => p.ProposedAt).Take(500)).ToListAsync(ct);
    }

    /// <summary>Proposals waiting for a head's written decision.</summary>
    public async Task<int> ProposedCountAsync(Scope head, CancellationToken ct) =>
        !head.Person.Has(Role.DepartmentHead) || head.Person.UnitPath is null ? 0
            : await head.PurgeProposals(db.PurgeProposals.AsNoTracking(), db.Records).CountAsync(p => p.State == PurgeState.Proposed, ct);

    IQueryable<ProposalView> Views(IQueryable<PurgeProposal> proposals) =>
        proposals.Join(db.Records, p => p.RecordId, r => r.Id, (p, r) => new ProposalView(p.Id, p.RecordId, r.FileName, r.OfficerBadge, r.RecordedStart, p.RetainUntil,
            p.State.ToString(), p.ProposedAt, p.DeciderId, p.DecidedAt, p.DestroyAfter, p.ExecutedAt));

    /// <summary>The proposal, if the person is a department head over its record's unit (and may see the record).</summary>
    async Task<PurgeProposal?> HeadsProposalAsync(Scope actor, string id, CancellationToken ct)
    {
        if (!Ids.LooksValid(id) || !actor.Person.Has(Role.DepartmentHead) || actor.Person.UnitPath is null) return null;
        return await actor.PurgeProposals(db.PurgeProposals, db.Records).SingleOrDefaultAsync(p => p.Id == id, ct);
    }

    /// <summary>Approve or reject a proposal. An approval starts <paramref name="recoveryWindow"/>, during which it may be cancelled.</summary>
    public async Task<Outcome<ProposalView>> DecideAsync(Scope actor, string id, WrittenDecision d, TimeSpan recoveryWindow, CancellationToken ct)
    {
        var now = actor.Now;
        var proposal = await HeadsProposalAsync(actor, id, ct);
        if (proposal is null) return Refusal.NotFound;
        if (proposal.State != PurgeState.Proposed) return new Refusal(409, "purge-not-pending", null, proposal.State);
        if (WrittenOpinion.Check(d.Opinion) is { } noOpinion) return noOpinion;
        var confirmed = await confirmation.ConfirmAsync(actor.Person, new Confirmation(d.Password, d.Totp), ct);
        if (confirmed.Refusal is { } unconfirmed) return unconfirmed;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var decided = await ApplyAsync(actor, proposal, d, recoveryWindow, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (!decided) return new Refusal(409, "retention-not-expired");
        return await Views(db.PurgeProposals.AsNoTracking().Where(p => p.Id == proposal.Id)).SingleAsync(ct);
    }

    /// <summary>How a reviewed batch came out: decided as asked, and kept because the rules changed since the proposal.</summary>
    public sealed record BatchDecision(int Decided, int Kept);

    /// <summary>One written decision (one opinion, one confirmation) for a batch the head has reviewed. Every proposal
    /// must be theirs to decide and still pending, or nothing is decided; an approval still rechecks each record's rules.</summary>
    public async Task<Outcome<BatchDecision>> DecideManyAsync(Scope actor, IReadOnlyCollection<string> ids, WrittenDecision d, TimeSpan recoveryWindow, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return RetentionSettings.Invalid("purge-batch-empty");
        if (wanted.Count > MaxBatch) return RetentionSettings.Invalid("purge-batch-too-large", MaxBatch);
        if (!actor.Person.Has(Role.DepartmentHead) || actor.Person.UnitPath is null || !wanted.All(Ids.LooksValid)) return Refusal.NotFound;
        var proposals = await actor.PurgeProposals(db.PurgeProposals, db.Records).Where(p => wanted.Contains(p.Id)).ToListAsync(ct);
        if (proposals.Count != wanted.Count) return Refusal.NotFound;
        if (proposals.FirstOrDefault(p => p.State != PurgeState.Proposed) is { } done) return new Refusal(409, "purge-not-pending", null, done.State);
        if (WrittenOpinion.Check(d.Opinion) is { } noOpinion) return noOpinion;
        var confirmed = await confirmation.ConfirmAsync(actor.Person, new Confirmation(d.Password, d.Totp), ct);
        if (confirmed.Refusal is { } unconfirmed) return unconfirmed;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var decided = 0;
        foreach (var proposal in proposals)
            if (await ApplyAsync(actor, proposal, d, recoveryWindow, ct)) decided++;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new BatchDecision(decided, proposals.Count - decided);
    }

    public const int MaxBatch = 200;

    /// <summary>Records the decision on a pending proposal; false when an approval finds the record must now be kept.</summary>
    async Task<bool> ApplyAsync(Scope actor, PurgeProposal proposal, WrittenDecision d, TimeSpan recoveryWindow, CancellationToken ct)
    {
        var now = actor.Now;
        if (d.Approve)
        {
            // The rules again, as they stand now: a hold, a case or a new category since the proposal keeps the record.
            await RetentionRules.RecomputeAsync(db, [proposal.RecordId], now, ct);
            if (proposal.State == PurgeState.Withdrawn) return false;
        }
        proposal.State = d.Approve ? PurgeState.Approved : PurgeState.Rejected;
        proposal.DeciderId = actor.Id;
        proposal.Opinion = d.Opinion!.Trim();
        proposal.DecidedAt = now;
        if (d.Approve) proposal.DestroyAfter = now + recoveryWindow;
        db.LedgerPending.Add(LedgerLeaves.Purge(d.Approve ? PurgeKinds.Approved : PurgeKinds.Rejected, proposal, actor.Id, now));
        return true;
    }

    /// <summary>Recovery: during the window after approval, a head takes the approval back and the record stays.</summary>
    public async Task<Refusal?> CancelAsync(Scope actor, string id, CancellationToken ct)
    {
        var proposal = await HeadsProposalAsync(actor, id, ct);
        if (proposal is null) return Refusal.NotFound;
        if (proposal.State != PurgeState.Approved || proposal.DestroyAfter is not { } after || actor.Now >= after)
            return new Refusal(409, "not-in-recovery-window");
        proposal.State = PurgeState.Cancelled;
        proposal.CancelledById = actor.Id;
        db.LedgerPending.Add(LedgerLeaves.Purge(PurgeKinds.Cancelled, proposal, actor.Id, actor.Now));
        await db.SaveChangesAsync(ct);
        return null;
    }
}
