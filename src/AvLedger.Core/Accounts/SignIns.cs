using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Accounts;

public enum SignInOutcome { Success, Missing, BadCredentials, LockedOut, PasswordChangeRequired, SecondFactorRequired, RateLimited }

public sealed record SignInResult(SignInOutcome Outcome, Account? Account = null, DateTimeOffset? LockedUntil = null);

/// <summary>Sign-in attempts per username and minute, whichever client they come from (the server keeps the window).</summary>
public interface ISignInLimit
{
    bool TryTake(string username);
}

/// <summary>How many wrong attempts in a row lock a username, and for how long.</summary>
public sealed record Lockout(int MaxFailures, TimeSpan Duration)
{
    /// <summary>An attempt numbered past the limit is refused before its password is looked at.</summary>
    public bool RefusesUnchecked(int attempt) => attempt > MaxFailures;

    /// <summary>A failed attempt that reaches the limit locks the name.</summary>
    public bool LocksAfterFailing(int attempt) => attempt >= MaxFailures;

    public DateTimeOffset Until(DateTimeOffset now) => now + Duration;

    public static bool StillLocked(DateTimeOffset? lockedUntil, DateTimeOffset now) => lockedUntil is { } until && until > now;
}

/// <summary>Password and second-factor checks shared by the token endpoint, the web login, password
/// changes and written confirmations, with lockout after repeated failures so a password cannot be
/// guessed by trying (GA/T 1788-style policy). Unknown usernames are counted and locked exactly like
/// real ones, so no answer tells which accounts exist.</summary>
public sealed class SignIns(AvLedgerDb db, IPasswordHasher<Account> hasher, SecondFactor secondFactor, TimeProvider clock,
    Lockout lockout, ISignInLimit limiter)
{
    /// <summary>Checks a password and, for accounts with a second factor, the TOTP code too: a
    /// wrong code counts as a failure like a wrong password; a missing one says it is needed.</summary>
    public async Task<SignInResult> CheckAsync(string? username, string? password, string? totp, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password)) return new(SignInOutcome.Missing);
        if (!limiter.TryTake(username)) return new(SignInOutcome.RateLimited);
        return await CheckCountedAsync(username, password, totp, ct);
    }

    /// <summary>The refusal a failed check is answered with. A locked name is answered the same
    /// whether or not an account has it. Null for a success.</summary>
    public Refusal? RefusalOf(SignInResult result) => result.Outcome switch
    {
        SignInOutcome.Success => null,
        SignInOutcome.Missing => SignInRefusals.CredentialsMissing,
        SignInOutcome.RateLimited => SignInRefusals.TooManySignIns,
        SignInOutcome.LockedOut => SignInRefusals.LockedOut(result.LockedUntil!.Value) with { RetryAfter = result.LockedUntil!.Value - clock.GetUtcNow() },
        SignInOutcome.SecondFactorRequired => SignInRefusals.TotpRequired,
        SignInOutcome.PasswordChangeRequired => SignInRefusals.PasswordChangeRequired,
        _ => SignInRefusals.BadCredentials,
    };

    async Task<SignInResult> CheckCountedAsync(string username, string password, string? totp, CancellationToken ct)
    {
        if (username.Length > MaxUsername)
        {
            // No account has such a name; nothing is stored for it.
            hasher.VerifyHashedPassword(Dummy, DummyHash, password);
            return new(SignInOutcome.BadCredentials);
        }
        // The attempt is counted before the password is looked at: parallel guesses each take a number,
        // and only the first MaxFailures of them are ever checked.
        var (attempt, lockedUntil) = await CountAttemptAsync(username, ct);
        if (lockedUntil is { } locked) return new(SignInOutcome.LockedOut, LockedUntil: locked);

        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username && !a.Disabled, ct);
        if (account is null)
        {
            // Spend the same effort as a real check, so timing does not tell which usernames exist.
            hasher.VerifyHashedPassword(Dummy, DummyHash, password);
            return await FailedAsync(username, attempt, ct);
        }
        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return await FailedAsync(username, attempt, ct);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = hasher.HashPassword(account, password);
            await db.SaveChangesAsync(ct);
        }
        if (account.TotpSecret is not null)
        {
            // The attempt stays counted until the code is right too.
            if (string.IsNullOrEmpty(totp)) return new(SignInOutcome.SecondFactorRequired, account);
            if (!await secondFactor.VerifyAsync(db, account, totp, ct)) return await FailedAsync(username, attempt, ct);
        }
        await SucceededAsync(username, ct);
        return new(account.MustChangePassword ? SignInOutcome.PasswordChangeRequired : SignInOutcome.Success, account);
    }

    /// <summary>Confirms a decision at the moment of making it: the TOTP code for accounts that have
    /// one, else the password. Returns how it was confirmed, or the failed result.</summary>
    public async Task<(SignInResult Result, string? ConfirmedBy)> ConfirmAsync(Account account, string? password, string? totp, CancellationToken ct)
    {
        // Where the approver has a second factor, it is what confirms; a password alone does not.
        if (account.TotpSecret is not null)
        {
            var (attempt, lockedUntil) = await CountAttemptAsync(account.Username, ct);
            if (lockedUntil is { } locked) return (new(SignInOutcome.LockedOut, LockedUntil: locked), null);
            if (!await secondFactor.VerifyAsync(db, account, totp, ct)) return (await FailedAsync(account.Username, attempt, ct), null);
            await SucceededAsync(account.Username, ct);
            return (new(SignInOutcome.Success, account), "totp");
        }
        if (string.IsNullOrEmpty(password)) return (new(SignInOutcome.Missing), null);
        var result = await CheckCountedAsync(account.Username, password, null, ct);
        return (result, result.Outcome is SignInOutcome.Success or SignInOutcome.PasswordChangeRequired ? "password" : null);
    }

    /// <summary>Counts one attempt for the username in a single UPSERT … RETURNING (SQLite and
    /// PostgreSQL both have it), or answers the lock's end if the name is locked.</summary>
    async Task<(int Attempt, DateTimeOffset? LockedUntil)> CountAttemptAsync(string username, CancellationToken ct)
    {
        var row = await db.SignInFailures.AsNoTracking().SingleOrDefaultAsync(f => f.Username == username, ct);
        if (row?.LockedUntil is { } until)
        {
            if (Lockout.StillLocked(until, clock.GetUtcNow())) return (0, until);
            // The lock is over: counting starts afresh, once, whichever request gets here first.
            await db.SignInFailures.Where(f => f.Username == username && f.LockedUntil == until)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Count, 0).SetProperty(f => f.LockedUntil, (DateTimeOffset?)null), ct);
        }
        var attempt = (await db.Database.SqlQuery<int>($"""
            INSERT INTO "SignInFailures" ("Username", "Count") VALUES ({username}, 1)
            ON CONFLICT ("Username") DO UPDATE SET "Count" = "SignInFailures"."Count" + 1
            RETURNING "Count" AS "Value"
            """).ToListAsync(ct)).Single();
        return lockout.RefusesUnchecked(attempt) ? (attempt, await LockAsync(username, ct)) : (attempt, null);
    }

    async Task<SignInResult> FailedAsync(string username, int attempt, CancellationToken ct) =>
        lockout.LocksAfterFailing(attempt)
            ? new(SignInOutcome.LockedOut, LockedUntil: await LockAsync(username, ct))
            : new(SignInOutcome.BadCredentials);

    async Task<DateTimeOffset> LockAsync(string username, CancellationToken ct)
    {
        var until = lockout.Until(clock.GetUtcNow());
        await db.SignInFailures.Where(f => f.Username == username && f.LockedUntil == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.LockedUntil, until), ct);
        return await db.SignInFailures.Where(f => f.Username == username).Select(f => f.LockedUntil).SingleAsync(ct) ?? until;
    }

    /// <summary>A success clears the count, unless a lock was set meanwhile by other attempts.</summary>
    async Task SucceededAsync(string username, CancellationToken ct) =>
        await db.SignInFailures.Where(f => f.Username == username && f.LockedUntil == null).ExecuteUpdateAsync(s => s.SetProperty(f => f.Count, 0), ct);

    /// <summary>Replaces a password after checking the current one and, where enrolled, the second
    /// factor (with the same lockout); ends every existing sign-in of the account. It signs nobody in.</summary>
    public async Task<(SignInResult Result, Refusal? Weak)> ChangePasswordAsync(string? username, string? current, string? next, string? totp, CancellationToken ct)
    {
        var result = await CheckAsync(username, current, totp, ct);
        if (result.Outcome is not (SignInOutcome.Success or SignInOutcome.PasswordChangeRequired)) return (result, null);
        var account = result.Account!;
        if (Passwords.Problem(next, account.Username, "password-weak") is { } weak) return (result, weak);
        if (next == current) return (result, new Refusal(400, "password-weak", "password-same"));
        account.PasswordHash = hasher.HashPassword(account, next!);
        account.MustChangePassword = false;
        account.EndSignIns();
        await db.SaveChangesAsync(ct);
        return (result with { Outcome = SignInOutcome.Success }, null);
    }

    /// <summary>The password change as one answer: the weak-password or failed-check refusal, or null when changed.</summary>
    public async Task<Refusal?> ChangePasswordOrRefuseAsync(string? username, string? current, string? next, string? totp, CancellationToken ct)
    {
        var (result, weak) = await ChangePasswordAsync(username, current, next, totp, ct);
        return weak ?? RefusalOf(result);
    }

    const int MaxUsername = 256;

    static readonly Account Dummy = new() { Id = "", Username = "", PasswordHash = "", Roles = Role.Officer, DisplayName = "" };
    static readonly string DummyHash = new PasswordHasher<Account>().HashPassword(Dummy, "not-a-password");
}
