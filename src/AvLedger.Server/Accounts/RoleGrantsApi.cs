using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Accounts;

/// <summary>Separation of duties: the second person's side of a role grant. Administrators see every
/// proposal; a head sees those for people in units below theirs. Confirming applies the roles and ends
/// the person's sign-ins; refusing leaves the account as it was.</summary>
public static class RoleGrantsApi
{
    public sealed record GrantView(string Id, string Username, string Name, string? UnitCode, string? UnitName, IReadOnlyList<Role> Roles, bool Clearance,
        string ProposedBy, DateTimeOffset ProposedAt, RoleGrantState State, string? DecidedBy, DateTimeOffset? DecidedAt, bool MayDecide);

    public static void MapRoleGrants(this IEndpointRouteBuilder app)
    {
        var grants = app.MapGroup("/api/v1/role-grants")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DepartmentHead)));
        grants.MapGet("/", async Task<IResult> (CurrentUser viewer, AvLedgerDb db, IOptions<AvLedgerOptions> options, CancellationToken ct, string? state = "pending") =>
        {
            RoleGrantState? wanted = null;
            if (!string.IsNullOrEmpty(state) && state != "all")
            {
                if (!Enum.TryParse<RoleGrantState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                    return Problems.Of(400, "invalid-state", "状态无效", "Invalid state", "state 取 pending、confirmed、refused、withdrawn 或 all。", "state is pending, confirmed, refused, withdrawn or all.");
                wanted = s;
            }
            return TypedResults.Ok(await ListAsync(db, viewer.Account, options.Value.SingleAdministrator, wanted, ct));
        });
        grants.MapPost("/{id}/confirm", (string id, CurrentUser decider, AvLedgerDb db, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(id, true, decider.Account, db, options.Value.SingleAdministrator, clock, ct));
        grants.MapPost("/{id}/refuse", (string id, CurrentUser decider, AvLedgerDb db, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(id, false, decider.Account, db, options.Value.SingleAdministrator, clock, ct));
    }

    public static async Task<List<GrantView>> ListAsync(AvLedgerDb db, Account viewer, bool singleAdministrator, RoleGrantState? state, CancellationToken ct)
    {
        var query = db.RoleGrants.AsNoTracking().VisibleTo(db, viewer);
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
            r.g.State == RoleGrantState.Pending && RoleGrants.MayDecide(viewer, r.Subject, r.g, singleAdministrator) == GrantDecider.Allowed)).ToList();
    }

    public static async Task<IResult> DecideAsync(string id, bool confirm, Account decider, AvLedgerDb db, bool singleAdministrator, TimeProvider clock, CancellationToken ct)
    {
        var grant = await db.RoleGrants.VisibleTo(db, decider).SingleOrDefaultAsync(g => g.Id == id, ct);
        if (grant is null) return Problems.NotFound();
        var subject = await db.Accounts.SingleAsync(a => a.Id == grant.AccountId, ct);
        switch (RoleGrants.MayDecide(decider, subject, grant, singleAdministrator))
        {
            case GrantDecider.Unknown: return Problems.NotFound();
            case GrantDecider.Subject:
                return Problems.Of(403, "own-grant", "不得确认授予自己的角色", "You cannot decide a grant of your own",
                    "授予您本人的角色或涉密授权须由另一名系统管理员或上级单位负责人确认。", "Another administrator or a head of a unit above must decide it.");
            case GrantDecider.Proposer:
                return Problems.Of(403, "own-proposal", "不得确认自己提出的授权", "You cannot decide your own proposal",
                    "职责分离：须由另一名系统管理员或上级单位负责人确认。", "Separation of duties: another administrator or a head of a unit above must decide it.");
        }
        if (grant.State != RoleGrantState.Pending) return Decided();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Claimed in one UPDATE, so two people deciding at once cannot both act.
        var state = confirm ? RoleGrantState.Confirmed : RoleGrantState.Refused;
        var claimed = await db.RoleGrants.Where(g => g.Id == id && g.State == RoleGrantState.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.State, state).SetProperty(g => g.DecidedById, decider.Id).SetProperty(g => g.DecidedAt, now), ct);
        if (claimed == 0) return Decided();
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
        return TypedResults.NoContent();
    }

    static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Decided() =>
        Problems.Of(409, "grant-decided", "该授权已处理", "Already decided", "此项授权已被确认、拒绝或撤回。", "This grant was already confirmed, refused or withdrawn.");
}
