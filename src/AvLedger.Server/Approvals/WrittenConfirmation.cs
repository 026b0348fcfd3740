using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Refusals;

namespace AvLedger.Server.Approvals;

/// <summary>The decider's confirmation at the moment of deciding, checked by sign-in: their password,
/// or their one-time code where they have a second factor. Core's written decisions ask through
/// <see cref="IWrittenConfirmation"/>.</summary>
public sealed class WrittenConfirmation(SignIns signIns) : IWrittenConfirmation
{
    public async Task<Outcome<string>> ConfirmAsync(Account decider, Confirmation confirmation, CancellationToken ct)
    {
        var (check, confirmedBy) = await signIns.ConfirmAsync(decider, confirmation.Password, confirmation.Totp, ct);
        if (check.Outcome == SignInOutcome.LockedOut) return SignInRefusals.LockedOut(check.LockedUntil!.Value);
        return confirmedBy is null ? WrittenOpinion.ConfirmationFailed : confirmedBy;
    }
}
