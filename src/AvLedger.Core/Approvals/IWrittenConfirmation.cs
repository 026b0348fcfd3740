using AvLedger.Core.Accounts;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Approvals;

/// <summary>What the decider gives to sign a written decision at the moment of making it: their
/// password, or their one-time code where they have a second factor.</summary>
public sealed record Confirmation(string? Password, string? Totp);

/// <summary>The port through which a written decision checks the decider's confirmation. How
/// passwords, codes and lockouts are checked belongs to sign-in, outside Core.</summary>
public interface IWrittenConfirmation
{
    /// <summary>How the decider confirmed ("password" or "totp"), or the refusal (wrong, missing, locked out).</summary>
    Task<Outcome<string>> ConfirmAsync(Account decider, Confirmation confirmation, CancellationToken ct);
}

/// <summary>What every written decision needs besides the confirmation (approvals, consultations,
/// confidentiality changes, purges): an opinion.</summary>
public static class WrittenOpinion
{
    public const int MaxLength = 2000;

    public static Refusal? Check(string? opinion) =>
        string.IsNullOrWhiteSpace(opinion) || opinion.Length > MaxLength ? AccessRequestDesk.Invalid("opinion-missing") : null;

    public static Refusal ConfirmationFailed { get; } = new(403, "confirmation-failed");
}
