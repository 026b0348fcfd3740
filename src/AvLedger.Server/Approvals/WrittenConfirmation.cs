using AvLedger.Core.Accounts;
using AvLedger.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Approvals;

/// <summary>What every written decision needs (approvals, consultations, confidentiality changes):
/// an opinion, and the decider's confirmation at the moment of deciding — their password, or their
/// one-time code where they have a second factor.</summary>
public static class WrittenConfirmation
{
    public const int MaxOpinion = 2000;

    public static ProblemHttpResult? OpinionProblem(string? opinion) =>
        string.IsNullOrWhiteSpace(opinion) || opinion.Length > MaxOpinion
            ? AccessRequestsApi.Invalid("请填写审批意见（不超过 2000 字）。", "Write an opinion (at most 2000 characters).")
            : null;

    /// <summary>How the decider confirmed ("password" or "totp"), or the problem to answer.</summary>
    public static async Task<(string? ConfirmedBy, ProblemHttpResult? Problem)> ConfirmAsync(SignIns signIns, Account decider, string? password, string? totp, CancellationToken ct)
    {
        var (check, confirmedBy) = await signIns.ConfirmAsync(decider, password, totp, ct);
        if (check.Outcome == SignInOutcome.LockedOut) return (null, AuthApi.LockedOut(check.LockedUntil!.Value));
        return confirmedBy is null
            ? (null, Problems.Of(403, "confirmation-failed", "身份确认失败", "Confirmation failed",
                "审批须输入本人密码（已启用动态口令的，输入动态口令）确认。", "Confirm the decision with your own password (or your one-time code, if you use one)."))
            : (confirmedBy, null);
    }
}
