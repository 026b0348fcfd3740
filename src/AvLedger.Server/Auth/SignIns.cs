using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Auth;

public enum SignInOutcome { Success, Missing, BadCredentials, LockedOut, PasswordChangeRequired }

public sealed record SignInResult(SignInOutcome Outcome, Account? Account = null, DateTimeOffset? LockedUntil = null);

/// <summary>Password checks shared by the token endpoint and the web login, with lockout after
/// repeated failures so a password cannot be guessed by trying (GA/T 1788-style policy).</summary>
public sealed class SignIns(AvLedgerDb db, IPasswordHasher<Account> hasher, TimeProvider clock, IOptions<AvLedgerOptions> options)
{
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
        if (verdict == PasswordVerificationResult.Failed)
        {
            var lockout = options.Value.Lockout;
            account.FailedSignIns++;
            if (account.FailedSignIns >= lockout.MaxFailures)
            {
                account.LockedUntil = now + lockout.Duration;
                account.FailedSignIns = 0;
                await db.SaveChangesAsync(ct);
                return new(SignInOutcome.LockedOut, LockedUntil: account.LockedUntil);
            }
            await db.SaveChangesAsync(ct);
            return new(SignInOutcome.BadCredentials);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) account.PasswordHash = hasher.HashPassword(account, password);
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(ct);
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
