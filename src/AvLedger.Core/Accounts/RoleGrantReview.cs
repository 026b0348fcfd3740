using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Accounts;

/// <summary>Separation of duties: the second person's side of a role grant. Administrators see every
/// proposal; a head sees those for people in units below theirs. Confirming applies the roles and ends
/// the person's sign-ins; refusing leaves the account as it was.</summary>
public sealed class RoleGrantReview(AvLedgerDb db, SeparationOfDuties duties)
{
    public sealed record GrantView(string Id, string Username, string Name, string? UnitCode, string? UnitName, IReadOnlyList<Role> Roles, bool Clearance,
        string ProposedBy, DateTimeOffset ProposedAt, RoleGrantState State, string? DecidedBy, DateTimeOffset? DecidedAt, bool MayDecide);

    static readonly Refusal Decided = new(409, "grant-decided");

    public async Task<List<GrantView>> ListAsync(Scope viewer, RoleGrantState? state, CancellationToken ct)
    {
        var query = viewer.RoleGrants(db.RoleGrants.AsNoTracking(), db.Accounts);
        if (state is { } s) query = query.Where(g => g.State == s);
        var rows = await query.Join(db.Accounts, g => g.AccountId, a => a.Id, (g, a) => new { g, a })
            .OrderByDescending(x => x.g.ProposedAt).ThenBy(x => x.g.Id).Take(500)
            .Select(x => new
            {
                x.g,
                Subject = x.a,
                UnitCode = db.Units.Where(u => u.Id == x.a.UnitId).Select(u => u.Code).FirstOrDefault(),
                UnitName = db.Units.Where(u => u.Id == x.a.UnitId).Select(u => u.Name).FirstOrDefault(),
                ProposedBy = db.Accounts.Where(a => a.Id == x.g.ProposedById).Select(a => a.DisplayName).FirstOrDefault(),
                DecidedBy = db.Accounts.Where(a => a.Id == x.g.DecidedById).Select(a => a.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new GrantView(r.g.Id, r.Subject.Username, r.Subject.DisplayName, r.UnitCode, r.UnitName, Roles.Each(r.g.Roles).ToList(), r.g.Clearance,
            r.ProposedBy ?? "", r.g.ProposedAt, r.g.State, r.DecidedBy, r.g.DecidedAt,
            r.g.State == RoleGrantState.Pending && RoleGrants.MayDecide(viewer.Person, r.Subject, r.g, duties.SingleAdministrator) == GrantDecider.Allowed)).ToList();
    }

    public async Task<Refusal?> DecideAsync(Scope decider, string id, bool confirm, CancellationToken ct)
    {
        var grant = await decider.RoleGrants(db.RoleGrants, db.Accounts).SingleOrDefaultAsync(g => g.Id == id, ct);
        if (grant is null) return Refusal.NotFound;
        var subject = await db.Accounts.SingleAsync(a => a.Id == grant.AccountId, ct);
        switch (RoleGrants.MayDecide(decider.Person, subject, grant, duties.SingleAdministrator))
        {
            case GrantDecider.Unknown: return Refusal.NotFound;
            case GrantDecider.Subject:
                return new Refusal(403, "own-grant");
            case GrantDecider.Proposer:
                return new Refusal(403, "own-proposal");
        }
        if (grant.State != RoleGrantState.Pending) return Decided;
        var now = decider.Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Claimed in one UPDATE, so two people deciding at once cannot both act.
        var state = confirm ? RoleGrantState.Confirmed : RoleGrantState.Refused;
        var claimed = await db.RoleGrants.Where(g => g.Id == id && g.State == RoleGrantState.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.State, state).SetProperty(g => g.DecidedById, decider.Id).SetProperty(g => g.DecidedAt, now), ct);
        if (claimed == 0) return Decided;
        if (confirm)
        {
            subject.Roles |= grant.Roles;
            subject.ClearedForStateSecrets |= grant.Clearance;
            subject.EndSignIns();
        }
        AdministrationEvents.Add(db, decider.Id, confirm ? AuditActions.GrantConfirmed : AuditActions.GrantRefused, subject.Id,
            AdministrationEvents.Describe(grant.Roles, grant.Clearance), now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
