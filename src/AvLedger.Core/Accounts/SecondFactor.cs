using System.Security.Cryptography;
using System.Text;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Accounts;

/// <summary>Keeps a secret sealed at rest (the server seals TOTP secrets under a key derived from its master key).</summary>
public interface ISecretBox
{
    string Seal(string secret);
    string Open(string sealedSecret);
}

/// <summary>RFC 6238 one-time codes: HMAC-SHA1, 30-second steps, six digits, secrets in RFC 4648 base32.</summary>
public static class OneTimeCodes
{
    public const int StepSeconds = 30;

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 6238 and every authenticator app use HMAC-SHA1; its collisions do not matter for an HMAC.")]
    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0x0f;
        var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The step whose code <paramref name="code"/> is, among the current one and one either side (clock drift); null if none.</summary>
    public static long? Match(byte[] secret, string? code, DateTimeOffset now)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit)) return null;
        var current = StepAt(now);
        for (var step = current - 1; step <= current + 1; step++)
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), Encoding.ASCII.GetBytes(code)))
                return step;
        return null;
    }

    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string ToBase32(byte[] bytes)
    {
        var text = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5) text.Append(Alphabet[(buffer >> (bits -= 5)) & 31]);
        }
        if (bits > 0) text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }

    public static byte[] FromBase32(string text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c));
            if (value < 0) throw new FormatException("Not base32.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) bytes.Add((byte)(buffer >> (bits -= 8)));
        }
        return [.. bytes];
    }
}

/// <summary>The optional TOTP second factor. Secrets are kept sealed (<see cref="ISecretBox"/>), never in the clear;
/// each time step is accepted once per account.</summary>
public sealed class SecondFactor(ISecretBox box, TimeProvider clock)
{
    public static string NewSecret() => OneTimeCodes.ToBase32(RandomNumberGenerator.GetBytes(20));

    public string Open(string sealedSecret) => box.Open(sealedSecret);

    /// <summary>The time step of <paramref name="code"/> if it is the current code or the one either
    /// side of it; null otherwise. Whether the step is still unused is <see cref="UseAsync"/>'s question.</summary>
    public long? Match(string sealedSecret, string? code) =>
        code is { Length: 6 } ? OneTimeCodes.Match(OneTimeCodes.FromBase32(box.Open(sealedSecret)), code, clock.GetUtcNow()) : null;

    /// <summary>Whether a step may be taken after <paramref name="lastUsed"/>: a code overheard, or sent twice, works once.</summary>
    public static bool Unused(long? lastUsed, long step) => lastUsed is null || lastUsed < step;

    /// <summary>Takes a time step for the account if no later or equal step was used before (<see cref="Unused"/>),
    /// in one conditional UPDATE, so two requests with the same code cannot both pass.</summary>
    public static async Task<bool> UseAsync(AvLedgerDb db, string accountId, long step, CancellationToken ct) =>
        await db.Accounts.Where(a => a.Id == accountId && (a.LastTotpStep == null || a.LastTotpStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastTotpStep, step), ct) == 1;

    /// <summary>Checks a code for an account's active secret and uses its step up.</summary>
    public async Task<bool> VerifyAsync(AvLedgerDb db, Account account, string? code, CancellationToken ct) =>
        account.TotpSecret is { } secret && Match(secret, code) is { } step && await UseAsync(db, account.Id, step, ct);

    /// <summary>Starts enrolment: a new secret, pending until a code from it is confirmed. The caller saves.</summary>
    public string Begin(Account account)
    {
        var secret = NewSecret();
        account.TotpPending = box.Seal(secret);
        return secret;
    }

    /// <summary>Turns the pending secret on if <paramref name="code"/> is current, ends the account's
    /// other sign-ins (the factor changed) and records it (administration event and ledger leaf).
    /// False (and nothing changed) otherwise. The caller saves.</summary>
    public bool Complete(AvLedgerDb db, Account account, string? code)
    {
        if (account.TotpPending is not { } pending || Match(pending, code) is not { } step) return false;
        account.TotpSecret = pending;
        account.TotpPending = null;
        // The confirming code must not also sign in.
        account.LastTotpStep = Math.Max(account.LastTotpStep ?? 0, step);
        account.EndSignIns();
        AdministrationEvents.Add(db, account.Id, AuditActions.TotpEnabled, account.Id, null, clock.GetUtcNow());
        return true;
    }

    public static string Uri(Account account, string secret) =>
        $"otpauth://totp/AvLedger:{System.Uri.EscapeDataString(account.Username)}?secret={secret}&issuer=AvLedger&digits=6&period=30";
}
