using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Accounts;

/// <summary>A secret for the authenticator app and the address an app scans.</summary>
public sealed record TotpEnrollment(string Secret, string Uri);

/// <summary>The signed-in person's own account and second factor: what the account page shows, starting
/// TOTP enrolment and confirming it with a first code.</summary>
public sealed class SecondFactorEnrolment(AvLedgerDb db, SecondFactor factor, SignIns signIns)
{
    /// <summary>The account, and the enrolment in progress (its secret shown again until confirmed).</summary>
    public async Task<(Account Account, TotpEnrollment? Pending)> OfAsync(string accountId, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, ct);
        return (account, Pending(account));
    }

    TotpEnrollment? Pending(Account account) =>
        !account.TotpEnabled && account.TotpPending is { } pending && factor.Open(pending) is var secret
            ? new(secret, SecondFactor.Uri(account, secret)) : null;

    /// <summary>Starts enrolment: a new secret, active once confirmed. Replacing an active second factor
    /// needs a current code from it: a stolen token or cookie alone must not move the factor to the thief's phone.</summary>
    public async Task<Outcome<TotpEnrollment>> StartAsync(string accountId, string? currentCode, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == accountId, ct);
        if (account.TotpEnabled)
        {
            if (string.IsNullOrEmpty(currentCode)) return SignInRefusals.CurrentTotpRequired;
            var (check, _) = await signIns.ConfirmAsync(account, null, currentCode, ct);
            if (check.Outcome == SignInOutcome.LockedOut) return signIns.RefusalOf(check)!;
            if (check.Outcome != SignInOutcome.Success) return SignInRefusals.TotpInvalid;
        }
        var secret = factor.Begin(account);
        await db.SaveChangesAsync(ct);
        return new TotpEnrollment(secret, SecondFactor.Uri(account, secret));
    }

    /// <summary>Turns the pending secret on with a current code from it; the account (with its new
    /// security stamp: every other sign-in ended) or the refusal, with the pending enrolment still to show.</summary>
    public async Task<Outcome<Account>> ConfirmAsync(string accountId, string? code, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == accountId, ct);
        if (account.TotpPending is null) return SignInRefusals.TotpNotStarted;
        if (!factor.Complete(db, account, code)) return SignInRefusals.TotpInvalid;
        await db.SaveChangesAsync(ct);
        return account;
    }
}
