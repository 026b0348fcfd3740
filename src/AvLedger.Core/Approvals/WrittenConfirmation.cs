using AvLedger.Core.Accounts;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Approvals;

/// <summary>What every written decision needs (approvals, consultations, record changes, purges): an
/// opinion, and the decider's confirmation at the moment of deciding.</summary>
public static class WrittenOpinion
{
    public const int MaxLength = 2000;

    public static Refusal? Problem(string? opinion) =>
        string.IsNullOrWhiteSpace(opinion) || opinion.Length > MaxLength ? new Refusal(400, "access-request-invalid", "opinion-required") : null;
}

/// <summary>The decider confirms with their own password, or their one-time code where they have a
/// second factor. Sign-in counting and lockout are the host's, so this is a port.</summary>
public interface IWrittenConfirmation
{
    /// <summary>How the decider confirmed ("password" or "totp"), or why not.</summary>
    Task<Outcome<string>> ConfirmAsync(Account decider, string? password, string? totp, CancellationToken ct);
}
