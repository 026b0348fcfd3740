namespace AvLedger.Core.Accounts;

/// <summary>Sign-in attempts per username since the last success, kept for every name tried (existing
/// or not), so an unknown name locks like a real one and the answer does not tell them apart.</summary>
public sealed class SignInFailure
{
    public required string Username { get; init; }
    /// <summary>Attempts counted before the password is checked, in one UPDATE, so parallel guesses cannot outrun the limit.</summary>
    public int Count { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>A refresh token (stored as its hash): usable once, only while the account's security
/// stamp is the one it was issued under, and never past the sign-in's absolute end.</summary>
public sealed class RefreshToken
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string Hash { get; init; }
    public required string Stamp { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    /// <summary>The end of the whole sign-in: refreshing moves the access token on, never this.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
}
