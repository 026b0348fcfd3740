using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Refusals;
using AvLedger.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Approvals;

/// <summary>The decider's confirmation at the moment of deciding, checked by sign-in: their password,
/// or their one-time code where they have a second factor. Core's written decisions ask through
/// <see cref="IWrittenConfirmation"/>; endpoints not yet in Core use the static forms.</summary>
public sealed class WrittenConfirmation(SignIns signIns) : IWrittenConfirmation
{
    public const int MaxOpinion = WrittenOpinion.MaxLength;

    public static ProblemHttpResult? OpinionProblem(string? opinion) => WrittenOpinion.Check(opinion) is { } refusal ? Problems.From(refusal) : null;

    /// <summary>How the decider confirmed ("password" or "totp"), or the problem to answer.</summary>
    public static async Task<(string? ConfirmedBy, ProblemHttpResult? Problem)> ConfirmAsync(SignIns signIns, Account decider, string? password, string? totp, CancellationToken ct)
    {
        var confirmed = await ConfirmAsync(signIns, decider, new Confirmation(password, totp), ct);
        return confirmed.Refusal is { } refusal ? (null, Problems.From(refusal)) : (confirmed.Value, null);
    }

    static async Task<Outcome<string>> ConfirmAsync(SignIns signIns, Account decider, Confirmation confirmation, CancellationToken ct)
    {
        var (check, confirmedBy) = await signIns.ConfirmAsync(decider, confirmation.Password, confirmation.Totp, ct);
        if (check.Outcome == SignInOutcome.LockedOut) return SignInRefusals.LockedOut(check.LockedUntil!.Value);
        return confirmedBy is null ? WrittenOpinion.ConfirmationFailed : confirmedBy;
    }

    Task<Outcome<string>> IWrittenConfirmation.ConfirmAsync(Account decider, Confirmation confirmation, CancellationToken ct) => ConfirmAsync(signIns, decider, confirmation, ct);
}
