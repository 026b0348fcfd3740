using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Approvals;

/// <summary>Written confirmation through the sign-in checks: the same attempt counting and lockout as signing in.</summary>
public sealed class SignInConfirmation(SignIns signIns) : IWrittenConfirmation
{
    public async Task<Outcome<string>> ConfirmAsync(Account decider, string? password, string? totp, CancellationToken ct)
    {
        var (check, confirmedBy) = await signIns.ConfirmAsync(decider, password, totp, ct);
        if (check.Outcome == SignInOutcome.LockedOut) return WrittenConfirmation.LockedOut(check.LockedUntil!.Value);
        return confirmedBy is null ? new Refusal(403, "confirmation-failed") : confirmedBy;
    }
}

/// <summary><see cref="SignInConfirmation"/> for the endpoints not yet written as use cases.</summary>
public static class WrittenConfirmation
{
    public static Refusal LockedOut(DateTimeOffset until) =>
        new(403, "account-locked", null, RecordingTimes.ToChina(until).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

    public static ProblemHttpResult? OpinionProblem(string? opinion) => WrittenOpinion.Problem(opinion) is { } refused ? Problems.From(refused) : null;

    /// <summary>How the decider confirmed ("password" or "totp"), or the problem to answer.</summary>
    public static async Task<(string? ConfirmedBy, ProblemHttpResult? Problem)> ConfirmAsync(SignIns signIns, Account decider, string? password, string? totp, CancellationToken ct)
    {
        var confirmed = await new SignInConfirmation(signIns).ConfirmAsync(decider, password, totp, ct);
        return confirmed.Refusal is { } refused ? (null, Problems.From(refused)) : (confirmed.Value, null);
    }
}
