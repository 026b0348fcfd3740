namespace AvLedger.Core.Accounts;

/// <summary>The password policy: long enough, letters and digits, not the username.</summary>
public static class Passwords
{
    public const int MinLength = 10;

    /// <summary>Null when acceptable, else the reason (zh, en).</summary>
    public static (string Zh, string En)? Problem(string? password, string username)
    {
        if (password is null || password.Length < MinLength)
            return ($"密码至少 {MinLength} 个字符。", $"A password has at least {MinLength} characters.");
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
            return ("密码须同时包含字母和数字。", "A password needs both letters and digits.");
        if (password.Contains(username, StringComparison.OrdinalIgnoreCase))
            return ("密码不得包含用户名。", "A password must not contain the username.");
        return null;
    }
}
