using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Accounts;

/// <summary>Whether the installation declared one administrator, who then grants reaching roles alone (and says so).</summary>
public sealed record SeparationOfDuties(bool SingleAdministrator);

/// <summary>The system administrator's account directory. Administration is not content: nothing
/// here opens a recording, an administrator cannot grant themselves a role, and roles reaching other
/// people's records wait for a second person (separation of duties, <see cref="RoleGrants"/>).</summary>
public sealed class AccountDirectory(AvLedgerDb db, IPasswordHasher<Account> hasher, SeparationOfDuties duties)
{
    public sealed record NewUser(string? Username, string? Password, string? Badge, string? Name, string? UnitCode, List<Role>? Roles);
    public sealed record UserChange(string? Name, string? UnitCode, List<Role>? Roles, bool? ClearedForStateSecrets);
    public sealed record UserView(string Id, string Username, string? Badge, string Name, string? UnitCode, IReadOnlyList<Role> Roles,
        bool Disabled, bool MustChangePassword, bool Locked, bool ClearedForStateSecrets,
        IReadOnlyList<Role> PendingRoles, bool PendingClearance);
    public sealed record UserPage(IReadOnlyList<UserView> Items, int Total);

    static bool Administers(Scope actor) => actor.Person.Has(Role.SystemAdministrator);

    static Role Combine(IEnumerable<Role>? roles) => roles?.Aggregate(Role.None, (a, r) => a | r) ?? Role.None;

    /// <summary>An account an administrator makes (by hand or by import): its owner must replace the
    /// administrator's password at first sign-in, and the creation is on the alert list and in the ledger.
    /// Saved unless <paramref name="save"/> is false (an import saves its lines together).</summary>
    public async Task<Outcome<Account>> CreateAsync(Scope actor, NewUser u, CancellationToken ct, bool save = true)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var made = await NewAccountAsync(u, actor.Now, ct);
        if (made.Refusal is { } refused) return refused;
        var account = made.Value!;
        account.MustChangePassword = true;
        await AdmitAsync(account, actor.Id, actor.Now, ct);
        if (save) await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>Seeds a person whose password is already known to them (the demo prints its passwords):
    /// the same checks and separation of duties, without forcing a change at first sign-in.</summary>
    public async Task<Outcome<Account>> SeedAsync(Scope actor, NewUser u, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var made = await NewAccountAsync(u, actor.Now, ct);
        if (made.Refusal is { } refused) return refused;
        await AdmitAsync(made.Value!, actor.Id, actor.Now, ct);
        await db.SaveChangesAsync(ct);
        return made.Value!;
    }

    /// <summary>Adds a new account under the separation of duties: its reaching roles wait for a second
    /// person unless the installation declared a single administrator, and then the creation event says it was granted alone.</summary>
    async Task AdmitAsync(Account account, string actorId, DateTimeOffset now, CancellationToken ct)
    {
        var single = duties.SingleAdministrator;
        var reaching = account.Roles & RoleGrants.Reaching;
        if (!single) account.Roles &= ~reaching;
        db.Accounts.Add(account);
        AdministrationEvents.Add(db, actorId, AuditActions.AccountCreated, account.Id,
            AdministrationEvents.Describe(account.Roles) + (single && reaching != Role.None ? RoleGrants.Alone : ""), now);
        if (!single && reaching != Role.None) await RoleGrants.ProposeAsync(db, account, reaching, false, actorId, now, ct);
    }

    /// <summary>Validates and builds an account (not yet added).</summary>
    async Task<Outcome<Account>> NewAccountAsync(NewUser u, DateTimeOffset now, CancellationToken ct)
    {
        var roles = Combine(u.Roles);
        if (string.IsNullOrWhiteSpace(u.Username) || string.IsNullOrWhiteSpace(u.Name) || roles == Role.None)
            return Refusal.InvalidDirectoryEntry("account-incomplete");
        var username = u.Username.Trim();
        if (Passwords.Problem(u.Password, username, "invalid-directory-entry") is { } weak) return weak;
        if (await db.Accounts.AnyAsync(x => x.Username == username, ct)) return Refusal.AlreadyExists("username", username);
        var badge = string.IsNullOrWhiteSpace(u.Badge) ? null : u.Badge.Trim();
        if (badge is not null && await db.Accounts.AnyAsync(x => x.Badge == badge, ct)) return Refusal.AlreadyExists("badge", badge);
        if (roles.HasFlag(Role.Officer) && badge is null) return Refusal.InvalidDirectoryEntry("officer-needs-badge");
        var unit = u.UnitCode is null ? null : await db.Units.AsNoTracking().SingleOrDefaultAsync(x => x.Code == u.UnitCode && !x.Disabled, ct);
        if (u.UnitCode is not null && unit is null) return Refusal.InvalidDirectoryEntry("unit-unknown", u.UnitCode);
        if (unit is null && (roles & ~Role.SystemAdministrator) != Role.None) return Refusal.InvalidDirectoryEntry("account-needs-unit");
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
        return account;
    }

    public async Task<Outcome<UserPage>> ListAsync(Scope actor, CancellationToken ct, string? unit = null, string? q = null, int page = 1, int pageSize = 100)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
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
        return new UserPage(rows.Select(r => View(r.a, r.UnitCode, r.LockedUntil > actor.Now, pending.GetValueOrDefault(r.a.Id))).ToList(), total);
    }

    static UserView View(Account a, string? unitCode, bool locked, (Role Roles, bool Clearance) pending) =>
        new(a.Id, a.Username, a.Badge, a.DisplayName, unitCode, Roles.Each(a.Roles).ToList(), a.Disabled, a.MustChangePassword, locked, a.ClearedForStateSecrets,
            Roles.Each(pending.Roles).ToList(), pending.Clearance);

    public async Task<Outcome<UserView>> ChangeAsync(Scope actor, string username, UserChange change, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username, ct);
        if (account is null) return Refusal.NotFound;
        var now = actor.Now;
        var single = duties.SingleAdministrator;
        var (pendingRoles, pendingClearance) = await RoleGrants.PendingForAsync(db, account.Id, ct);
        // Reaching roles measured from the unit: moved to another unit, they are confirmed again there.
        var carried = Role.None;
        if (change.Name is { } name)
        {
            if (string.IsNullOrWhiteSpace(name)) return Refusal.InvalidDirectoryEntry("person-name-empty");
            account.DisplayName = name.Trim();
        }
        if (change.UnitCode is { } unitCode)
        {
            var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(x => x.Code == unitCode && !x.Disabled, ct);
            if (unit is null) return Refusal.InvalidDirectoryEntry("unit-unknown", unitCode);
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
                AdministrationEvents.Add(db, actor.Id, AuditActions.SelfGrantRefused, account.Id, AdministrationEvents.Describe(widened, clearance), now);
                db.ChangeTracker.Entries<Account>().Single(e => e.Entity == account).State = EntityState.Unchanged;
                await db.SaveChangesAsync(ct);
                return new Refusal(403, "self-grant-refused");
            }
            if (roles == Role.None) return Refusal.InvalidDirectoryEntry("roles-empty");
            if (roles.HasFlag(Role.Officer) && account.Badge is null) return Refusal.InvalidDirectoryEntry("officer-needs-badge");
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
        return View(account, unitOf, lockedUntil > now, await RoleGrants.PendingForAsync(db, account.Id, ct));
    }

    public async Task<Refusal?> SetDisabledAsync(Scope actor, string username, bool disabled, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username, ct);
        if (account is null) return Refusal.NotFound;
        if (account.Id == actor.Id && disabled) return new Refusal(409, "cannot-disable-self");
        if (account.Disabled != disabled)
        {
            account.Disabled = disabled;
            account.EndSignIns();
            AdministrationEvents.Add(db, actor.Id, disabled ? AuditActions.AccountDisabled : AuditActions.AccountEnabled, account.Id, null, actor.Now);
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    public async Task<Refusal?> ResetPasswordAsync(Scope actor, string username, string? password, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username, ct);
        if (account is null) return Refusal.NotFound;
        if (Passwords.Problem(password, account.Username, "invalid-directory-entry") is { } weak) return weak;
        account.PasswordHash = hasher.HashPassword(account, password!);
        account.MustChangePassword = true;
        account.EndSignIns();
        await db.SignInFailures.Where(f => f.Username == account.Username).ExecuteDeleteAsync(ct);
        AdministrationEvents.Add(db, actor.Id, AuditActions.PasswordReset, account.Id, null, actor.Now);
        await db.SaveChangesAsync(ct);
        return null;
    }
}
