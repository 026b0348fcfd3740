using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Accounts;

/// <summary>The system administrator's account directory. Administration is not content: nothing
/// here opens a recording, an administrator cannot grant themselves a role, and roles reaching other
/// people's records wait for a second person (separation of duties, <see cref="RoleGrants"/>).</summary>
public static class UsersApi
{
    public sealed record NewUser(string? Username, string? Password, string? Badge, string? Name, string? UnitCode, List<Role>? Roles);
    public sealed record UserChange(string? Name, string? UnitCode, List<Role>? Roles, bool? ClearedForStateSecrets);
    public sealed record PasswordReset(string? Password);
    public sealed record UserView(string Id, string Username, string? Badge, string Name, string? UnitCode, IReadOnlyList<Role> Roles,
        bool Disabled, bool MustChangePassword, bool Locked, bool ClearedForStateSecrets,
        IReadOnlyList<Role> PendingRoles, bool PendingClearance);
    public sealed record UserPage(IReadOnlyList<UserView> Items, int Total);
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)));
        users.MapPost("/", CreateAsync);
        users.MapGet("/", async (AvLedgerDb db, TimeProvider clock, CancellationToken ct, string? unit = null, string? q = null, int page = 1, int pageSize = 100) =>
            TypedResults.Ok(await ListAsync(db, clock, ct, unit, q, page, pageSize)));
        users.MapPatch("/{username}", ChangeAsync);
        users.MapPost("/{username}/disable", (string username, CurrentUser actor, AvLedgerDb db, TimeProvider clock, CancellationToken ct) => SetDisabledAsync(username, true, actor, db, clock, ct));
        users.MapPost("/{username}/enable", (string username, CurrentUser actor, AvLedgerDb db, TimeProvider clock, CancellationToken ct) => SetDisabledAsync(username, false, actor, db, clock, ct));
        users.MapPost("/{username}/password", ResetPasswordAsync);
        return users;
    }

    static ProblemHttpResult Invalid(string zh, string en) => Problems.InvalidDirectoryEntry(zh, en);

    static Role Combine(IEnumerable<Role>? roles) => roles?.Aggregate(Role.None, (a, r) => a | r) ?? Role.None;

    public static async Task<Results<Created<Created>, ProblemHttpResult>> CreateAsync(
        NewUser u, CurrentUser actor, AvLedgerDb db, IPasswordHasher<Account> hasher, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (account, problem) = await NewAccountAsync(db, hasher, u, clock.GetUtcNow(), ct);
        if (problem is not null) return problem;
        await AddCreatedByAdministratorAsync(db, account!, actor.Id, options.Value.SingleAdministrator, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/users/{account!.Username}", new Created(account.Id));
    }

    /// <summary>Adds an account an administrator made (by hand or by import): its owner must replace
    /// the administrator's password at first sign-in, and the creation is on the alert list and in the ledger.</summary>
    public static Task AddCreatedByAdministratorAsync(AvLedgerDb db, Account account, string actorId, bool singleAdministrator, DateTimeOffset now, CancellationToken ct)
    {
        account.MustChangePassword = true;
        return AdmitAsync(db, account, actorId, singleAdministrator, now, ct);
    }

    /// <summary>Adds a new account under the separation of duties: its reaching roles wait for a second
    /// person (<see cref="RoleGrants"/>) unless the installation declared a single administrator, and
    /// then the creation event says it was granted alone. Shared with import and the demo's seeding.</summary>
    public static async Task AdmitAsync(AvLedgerDb db, Account account, string actorId, bool singleAdministrator, DateTimeOffset now, CancellationToken ct)
    {
        var reaching = account.Roles & RoleGrants.Reaching;
        if (!singleAdministrator) account.Roles &= ~reaching;
        db.Accounts.Add(account);
        AdministrationEvents.Add(db, actorId, AuditActions.AccountCreated, account.Id,
            AdministrationEvents.Describe(account.Roles) + (singleAdministrator && reaching != Role.None ? RoleGrants.Alone : ""), now);
        if (!singleAdministrator && reaching != Role.None) await RoleGrants.ProposeAsync(db, account, reaching, false, actorId, now, ct);
    }

    /// <summary>Validates and builds an account (not yet added); shared with the demo's seeding and CSV import.</summary>
    public static async Task<(Account? Account, ProblemHttpResult? Problem)> NewAccountAsync(
        AvLedgerDb db, IPasswordHasher<Account> hasher, NewUser u, DateTimeOffset now, CancellationToken ct)
    {
        var roles = Combine(u.Roles);
        if (string.IsNullOrWhiteSpace(u.Username) || string.IsNullOrWhiteSpace(u.Name) || roles == Role.None)
            return (null, Invalid("账号需要用户名、姓名和至少一个角色。", "An account needs a username, a name and at least one role."));
        var username = u.Username.Trim();
        if (Passwords.Problem(u.Password, username) is { } weak) return (null, Invalid(weak.Zh, weak.En));
        if (await db.Accounts.AnyAsync(x => x.Username == username, ct)) return (null, Problems.AlreadyExists($"用户名 {username} 已被使用。", $"Username {username} is taken."));
        var badge = string.IsNullOrWhiteSpace(u.Badge) ? null : u.Badge.Trim();
        if (badge is not null && await db.Accounts.AnyAsync(x => x.Badge == badge, ct)) return (null, Problems.AlreadyExists($"警号 {badge} 已被使用。", $"Badge {badge} is taken."));
        if (roles.HasFlag(Role.Officer) && badge is null) return (null, Invalid("执法人员须有警号。", "An officer needs a badge number."));
        var unit = u.UnitCode is null ? null : await db.Units.AsNoTracking().SingleOrDefaultAsync(x => x.Code == u.UnitCode && !x.Disabled, ct);
        if (u.UnitCode is not null && unit is null) return (null, Invalid($"单位 {u.UnitCode} 不存在。", $"Unit {u.UnitCode} does not exist."));
        if (unit is null && (roles & ~Role.SystemAdministrator) != Role.None)
            return (null, Invalid("除系统管理员外，账号须属于一个单位。", "Every account but a system administrator belongs to a unit."));
        var account = new Account
        {
            Id = Ids.New(),
            Username = username,
            PasswordHash = "",
            Roles = roles,
            DisplayName = u.Name.Trim(),
            Badge = badge,
            UnitId = unit?.Id,
            UnitPath = unit?.Path,
            CreatedAt = now,
        };
        account.PasswordHash = hasher.HashPassword(account, u.Password!);
        return (account, null);
    }

    public static async Task<UserPage> ListAsync(AvLedgerDb db, TimeProvider clock, CancellationToken ct, string? unit = null, string? q = null, int page = 1, int pageSize = 100)
    {
        var query = db.Accounts.AsNoTracking();
        if (!string.IsNullOrEmpty(unit)) query = query.Where(a => db.Units.Any(x => x.Id == a.UnitId && x.Code == unit));
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(a => a.Username.Contains(q) || a.DisplayName.Contains(q) || (a.Badge != null && a.Badge.Contains(q)));
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(a => a.Username).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new
            {
                a,
                UnitCode = db.Units.Where(x => x.Id == a.UnitId).Select(x => x.Code).FirstOrDefault(),
                LockedUntil = db.SignInFailures.Where(f => f.Username == a.Username).Select(f => f.LockedUntil).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.a.Id).ToList();
        var pending = (await db.RoleGrants.AsNoTracking().Where(g => g.State == RoleGrantState.Pending && ids.Contains(g.AccountId)).ToListAsync(ct))
            .GroupBy(g => g.AccountId).ToDictionary(g => g.Key, g => (g.Aggregate(Role.None, (r, x) => r | x.Roles), g.Any(x => x.Clearance)));
        var now = clock.GetUtcNow();
        return new UserPage(rows.Select(r => View(r.a, r.UnitCode, r.LockedUntil > now, pending.GetValueOrDefault(r.a.Id))).ToList(), total);
    }

    static UserView View(Account a, string? unitCode, bool locked, (Role Roles, bool Clearance) pending) =>
        new(a.Id, a.Username, a.Badge, a.DisplayName, unitCode, Roles.Each(a.Roles).ToList(), a.Disabled, a.MustChangePassword, locked, a.ClearedForStateSecrets,
            Roles.Each(pending.Roles).ToList(), pending.Clearance);

    public static async Task<IResult> ChangeAsync(string username, UserChange change, CurrentUser actor, AvLedgerDb db, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username, ct);
        if (account is null) return Problems.NotFound();
        var now = clock.GetUtcNow();
        var single = options.Value.SingleAdministrator;
        var (pendingRoles, pendingClearance) = await RoleGrants.PendingForAsync(db, account.Id, ct);
        // Reaching roles measured from the unit: moved to another unit, they are confirmed again there.
        var carried = Role.None;
        if (change.Name is { } name)
        {
            if (string.IsNullOrWhiteSpace(name)) return Invalid("姓名不能为空。", "The name cannot be empty.");
            account.DisplayName = name.Trim();
        }
        if (change.UnitCode is { } unitCode)
        {
            var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(x => x.Code == unitCode && !x.Disabled, ct);
            if (unit is null) return Invalid($"单位 {unitCode} 不存在。", $"Unit {unitCode} does not exist.");
            if (account.UnitId != unit.Id)
            {
                account.EndSignIns();
                if (!single) carried = account.Roles & RoleGrants.UnitBound;
            }
            account.UnitId = unit.Id;
            account.UnitPath = unit.Path;
        }
        if (change.Roles is not null || change.ClearedForStateSecrets is not null || carried != Role.None)
        {
            // What the administrator wants the account to hold once everything is confirmed.
            var roles = change.Roles is null ? account.Roles | pendingRoles : Combine(change.Roles);
            var cleared = change.ClearedForStateSecrets ?? (account.ClearedForStateSecrets || pendingClearance);
            var widened = roles & ~account.Roles;
            var clearance = cleared && !account.ClearedForStateSecrets;
            // Separation of duties: nobody widens their own access; the attempt itself is recorded.
            if (account.Id == actor.Id && (widened != Role.None || clearance))
            {
                AdministrationEvents.Add(db, actor.Id, AuditActions.SelfGrantRefused, account.Id,
                    AdministrationEvents.Describe(widened, clearance), now);
                db.ChangeTracker.Entries<Account>().Single(e => e.Entity == account).State = EntityState.Unchanged;
                await db.SaveChangesAsync(ct);
                return Problems.Of(403, "self-grant-refused", "不得为自己授予角色或权限", "You cannot grant yourself roles or clearance",
                    "角色和涉密授权须由另一名系统管理员授予；此次尝试已记入审计。", "Another administrator must grant them; this attempt was audited.");
            }
            if (roles == Role.None) return Invalid("账号至少需要一个角色。", "An account needs at least one role.");
            if (roles.HasFlag(Role.Officer) && account.Badge is null) return Invalid("执法人员须有警号。", "An officer needs a badge number.");
            var added = roles & ~(account.Roles & ~carried) & RoleGrants.Reaching;
            var waiting = single ? Role.None : added;
            var waitingClearance = !single && clearance;
            var nowRoles = roles & ~waiting;
            var nowCleared = waitingClearance ? account.ClearedForStateSecrets : cleared;
            if (nowRoles != account.Roles || nowCleared != account.ClearedForStateSecrets)
            {
                account.Roles = nowRoles;
                account.ClearedForStateSecrets = nowCleared;
                account.EndSignIns();
                AdministrationEvents.Add(db, actor.Id, AuditActions.RolesChanged, account.Id,
                    AdministrationEvents.Describe(nowRoles) + (nowCleared ? ",StateSecretClearance" : "")
                    + (single && (added != Role.None || clearance) ? RoleGrants.Alone : ""), now);
            }
            if (!single || pendingRoles != Role.None || pendingClearance)
                await RoleGrants.ProposeAsync(db, account, waiting, waitingClearance, actor.Id, now, ct);
        }
        await db.SaveChangesAsync(ct);
        var unitOf = await db.Units.Where(x => x.Id == account.UnitId).Select(x => x.Code).FirstOrDefaultAsync(ct);
        var lockedUntil = await db.SignInFailures.Where(f => f.Username == account.Username).Select(f => f.LockedUntil).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(View(account, unitOf, lockedUntil > now, await RoleGrants.PendingForAsync(db, account.Id, ct)));
    }

    public static async Task<IResult> SetDisabledAsync(string username, bool disabled, CurrentUser actor, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username, ct);
        if (account is null) return Problems.NotFound();
        if (account.Id == actor.Id && disabled)
            return Problems.Of(409, "cannot-disable-self", "不能停用自己的账号", "You cannot disable your own account");
        if (account.Disabled != disabled)
        {
            account.Disabled = disabled;
            account.EndSignIns();
            AdministrationEvents.Add(db, actor.Id, disabled ? AuditActions.AccountDisabled : AuditActions.AccountEnabled, account.Id, null, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    public static async Task<IResult> ResetPasswordAsync(string username, PasswordReset reset, CurrentUser actor, AvLedgerDb db, IPasswordHasher<Account> hasher, TimeProvider clock, CancellationToken ct)
    {
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username, ct);
        if (account is null) return Problems.NotFound();
        if (Passwords.Problem(reset.Password, account.Username) is { } weak) return Invalid(weak.Zh, weak.En);
        account.PasswordHash = hasher.HashPassword(account, reset.Password!);
        account.MustChangePassword = true;
        account.EndSignIns();
        await db.SignInFailures.Where(f => f.Username == account.Username).ExecuteDeleteAsync(ct);
        AdministrationEvents.Add(db, actor.Id, AuditActions.PasswordReset, account.Id, null, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
