using AvLedger.Core.Refusals;

namespace AvLedger.Core.Accounts;

/// <summary>The password policy: long enough, letters and digits, not the username.</summary>
public static class Passwords
{
    public const int MinLength = 10;

    /// <summary>Null when acceptable, else the refusal under <paramref name="code"/> that says why.</summary>
    public static Refusal? Problem(string? password, string username, string code)
    {
        if (password is null || password.Length < MinLength) return new(400, code, "password-short", MinLength);
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit)) return new(400, code, "password-simple");
        if (password.Contains(username, StringComparison.OrdinalIgnoreCase)) return new(400, code, "password-has-username");
        return null;
    }
}
