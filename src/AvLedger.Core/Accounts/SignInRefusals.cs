using System.Globalization;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;

namespace AvLedger.Core.Accounts;

public static class SignInRefusals
{
    /// <summary>Too many wrong passwords: the name is locked until <paramref name="until"/>, said in China time.</summary>
    public static Refusal LockedOut(DateTimeOffset until) =>
        new(403, "account-locked", "until", RecordingTimes.ToChina(until).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));

    public static Refusal CredentialsMissing { get; } = new(400, "credentials-missing");
    public static Refusal BadCredentials { get; } = new(401, "bad-credentials");
    public static Refusal TotpRequired { get; } = new(401, "totp-required");
    /// <summary>Replacing an active second factor needs a current code from it.</summary>
    public static Refusal CurrentTotpRequired { get; } = new(401, "totp-required", "replace") { TitleKey = "totp-required.current" };
    public static Refusal TotpInvalid { get; } = new(400, "totp-invalid");
    public static Refusal TotpNotStarted { get; } = new(409, "totp-not-started");
    public static Refusal PasswordChangeRequired { get; } = new(403, "password-change-required");
    public static Refusal RefreshInvalid { get; } = new(401, "refresh-invalid");
    public static Refusal TooManySignIns { get; } = new(429, "too-many-sign-ins") { RetryAfter = TimeSpan.FromMinutes(1) };
}
