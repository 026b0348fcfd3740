using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Auth;

public enum SignInOutcome { Success, Missing, BadCredentials, LockedOut, PasswordChangeRequired, SecondFactorRequired }

public sealed record SignInResult(SignInOutcome Outcome, Account? Account = null, DateTimeOffset? LockedUntil = null);

/// <summary>Password checks shared by the token endpoint and the web login, with lockout after
/// repeated failures so a password cannot be guessed by trying (GA/T 1788-style policy).</summary>
public sealed class SignIns(AvLedgerDb db, IPasswordHasher<Account> hasher, SecondFactor secondFactor, TimeProvider clock, IOptions<AvLedgerOptions> options)
{
    /// <summary>Checks a password and, for accounts with a second factor, the TOTP code too: a
    /// wrong code counts as a failure like a wrong password; a missing one says it is needed.</summary>
    public async Task<SignInResult> CheckAsync(string? username, string? password, string? totp, CancellationToken ct)
    {
        var result = await CheckAsync(username, password, ct);
        if (result.Outcome is not (SignInOutcome.Success or SignInOutcome.PasswordChangeRequired) || result.Account!.TotpSecret is not { } secret) return result;
        if (string.IsNullOrEmpty(totp)) return result with { Outcome = SignInOutcome.SecondFactorRequired };
        if (!secondFactor.Verify(secret, totp)) return await FailAsync(result.Account, ct);
        await SucceededAsync(result.Account, ct);
        return result;
    }

    /// <summary>Confirms a decision at the moment of making it: the TOTP code for accounts that have
    /// one, else the password. Returns how it was confirmed, or the failed result.</summary>
    public async Task<(SignInResult Result, string? ConfirmedBy)> ConfirmAsync(Account account, string? password, string? totp, CancellationToken ct)
    {
        // Where the approver has a second factor, it is what confirms; a password alone does not.
        if (account.TotpSecret is { } secret)
        {
            var tracked = await db.Accounts.SingleAsync(a => a.Id == account.Id, ct);
            if (tracked.LockedUntil > clock.GetUtcNow()) return (new(SignInOutcome.LockedOut, LockedUntil: tracked.LockedUntil), null);
            if (!secondFactor.Verify(secret, totp)) return (await FailAsync(tracked, ct), null);
            await SucceededAsync(tracked, ct);
            return (new(SignInOutcome.Success, tracked), "totp");
        }
        var result = await CheckAsync(account.Username, password, ct);
        return (result, result.Outcome is SignInOutcome.Success or SignInOutcome.PasswordChangeRequired ? "password" : null);
    }

    async Task SucceededAsync(Account account, CancellationToken ct)
    {
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(ct);
    }

    async Task<SignInResult> FailAsync(Account account, CancellationToken ct)
    {
        var lockout = options.Value.Lockout;
        account.FailedSignIns++;
        if (account.FailedSignIns >= lockout.MaxFailures)
        {
            account.LockedUntil = clock.GetUtcNow() + lockout.Duration;
            account.FailedSignIns = 0;
            await db.SaveChangesAsync(ct);
            return new(SignInOutcome.LockedOut, LockedUntil: account.LockedUntil);
        }
        await db.SaveChangesAsync(ct);
        return new(SignInOutcome.BadCredentials);
    }

    public async Task<SignInResult> CheckAsync(string? username, string? password, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password)) return new(SignInOutcome.Missing);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Username == username && !a.Disabled, ct);
        if (account is null)
        {
            // Spend the same effort as a real check, so timing does not tell which usernames exist.
            hasher.VerifyHashedPassword(Dummy, DummyHash, password);
            return new(SignInOutcome.BadCredentials);
        }
        var now = clock.GetUtcNow();
        // While locked, even the right password is refused: the lock must not confirm a guess.
        if (account.LockedUntil > now) return new(SignInOutcome.LockedOut, LockedUntil: account.LockedUntil);

        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return await FailAsync(account, ct);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) account.PasswordHash = hasher.HashPassword(account, password);
        // With a second factor, the failure count clears only once the code is right too.
        if (account.TotpSecret is null) await SucceededAsync(account, ct);
        else await db.SaveChangesAsync(ct);
        return new(account.MustChangePassword ? SignInOutcome.PasswordChangeRequired : SignInOutcome.Success, account);
    }

    /// <summary>Replaces a password after checking the current one (with the same lockout); the way
    /// out of an administrator-set password.</summary>
    public async Task<(SignInResult Result, (string Zh, string En)? Weak)> ChangePasswordAsync(string? username, string? current, string? next, CancellationToken ct)
    {
        var result = await CheckAsync(username, current, ct);
        if (result.Outcome is not (SignInOutcome.Success or SignInOutcome.PasswordChangeRequired)) return (result, null);
        var account = result.Account!;
        if (Passwords.Problem(next, account.Username) is { } weak) return (result, weak);
        if (next == current) return (result, ("新密码不能与原密码相同。", "The new password must differ from the current one."));
        account.PasswordHash = hasher.HashPassword(account, next!);
        account.MustChangePassword = false;
        await db.SaveChangesAsync(ct);
        return (result with { Outcome = SignInOutcome.Success }, null);
    }

    static readonly Account Dummy = new() { Id = "", Username = "", PasswordHash = "", Roles = Role.Officer, DisplayName = "" };
    static readonly string DummyHash = new PasswordHasher<Account>().HashPassword(Dummy, "not-a-password");
}
