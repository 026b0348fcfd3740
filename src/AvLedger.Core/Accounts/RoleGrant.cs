using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Accounts;

public enum RoleGrantState { Pending, Confirmed, Refused, Withdrawn }

/// <summary>Separation of duties: roles that reach other people's records, and state-secret clearance,
/// proposed by an administrator and waiting for a second person (another administrator, or a head of a
/// unit above the person's) before they take effect. At most one is pending per account: the latest proposal.</summary>
public sealed class RoleGrant
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    /// <summary>The reaching roles to add (only those: other roles apply at once).</summary>
    public Role Roles { get; init; }
    public bool Clearance { get; init; }
    public required string ProposedById { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public RoleGrantState State { get; set; }
    public string? DecidedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

public enum GrantDecider { Allowed, Unknown, Proposer, Subject }

public static class RoleGrants
{
    /// <summary>Roles that reach beyond one's own records: a unit's subtree (heads, inspectors, legal
    /// officers), the audit trail (auditors), or the directory that grants all of these (administrators,
    /// so that a second administrator is itself confirmed by someone else).</summary>
    public const Role Reaching = Role.DepartmentHead | Role.Inspector | Role.LegalOfficer | Role.Auditor | Role.SystemAdministrator;

    /// <summary>Reaching roles whose reach is measured from the holder's unit: moving the holder moves it.</summary>
    public const Role UnitBound = Role.DepartmentHead | Role.Inspector | Role.LegalOfficer | Role.Auditor;

    /// <summary>Ends the detail of a creation or role change that granted a reaching role or clearance
    /// under the single-administrator rule, with nobody confirming.</summary>
    public const string Alone = ";singleAdministrator";

    /// <summary>Whether <paramref name="decider"/> may confirm or refuse a grant for <paramref name="subject"/>:
    /// never their own, never the proposer's own (unless the installation declared a single administrator),
    /// else another administrator or a head of a unit strictly above the subject's.</summary>
    public static GrantDecider MayDecide(Account decider, Account subject, RoleGrant grant, bool singleAdministrator)
    {
        var admin = decider.Has(Role.SystemAdministrator);
        var headAbove = new Scope(decider, DateTimeOffset.MinValue).HeadsAbove(subject);
        if (!admin && !headAbove) return GrantDecider.Unknown;
        if (decider.Id == subject.Id) return GrantDecider.Subject;
        if (decider.Id == grant.ProposedById && !singleAdministrator) return GrantDecider.Proposer;
        return GrantDecider.Allowed;
    }

    /// <summary>Records what an administrator asked for <paramref name="account"/> beyond what applies at
    /// once: the pending proposal is replaced by this one (withdrawn, if different), and both are audited.</summary>
    public static async Task<RoleGrant?> ProposeAsync(AvLedgerDb db, Account account, Role roles, bool clearance, string proposerId, DateTimeOffset now, CancellationToken ct)
    {
        roles &= Reaching;
        var pending = await db.RoleGrants.Where(g => g.AccountId == account.Id && g.State == RoleGrantState.Pending).ToListAsync(ct);
        if (pending.Count == 1 && pending[0].Roles == roles && pending[0].Clearance == clearance) return pending[0];
        foreach (var old in pending)
        {
            old.State = RoleGrantState.Withdrawn;
            old.DecidedById = proposerId;
            old.DecidedAt = now;
            AdministrationEvents.Add(db, proposerId, AuditActions.GrantWithdrawn, account.Id, AdministrationEvents.Describe(old.Roles, old.Clearance), now);
        }
        if (roles == Role.None && !clearance) return null;
        var grant = new RoleGrant
        {
            Id = Ids.New(),
            AccountId = account.Id,
            Roles = roles,
            Clearance = clearance,
            ProposedById = proposerId,
            ProposedAt = now,
            State = RoleGrantState.Pending,
        };
        db.RoleGrants.Add(grant);
        AdministrationEvents.Add(db, proposerId, AuditActions.GrantProposed, account.Id, AdministrationEvents.Describe(roles, clearance), now);
        return grant;
    }

    /// <summary>What a pending proposal for the account asks (none: nothing).</summary>
    public static async Task<(Role Roles, bool Clearance)> PendingForAsync(AvLedgerDb db, string accountId, CancellationToken ct)
    {
        var pending = await db.RoleGrants.AsNoTracking().Where(g => g.AccountId == accountId && g.State == RoleGrantState.Pending)
            .Select(g => new { g.Roles, g.Clearance }).ToListAsync(ct);
        return (pending.Aggregate(Role.None, (a, g) => a | g.Roles), pending.Any(g => g.Clearance));
    }
}
