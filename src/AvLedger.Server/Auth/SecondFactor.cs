using System.Security.Cryptography;
using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Storage;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace AvLedger.Server.Auth;

/// <summary>The optional TOTP second factor (RFC 6238, 30-second steps, six digits). Secrets are
/// kept sealed with AES-GCM under a key derived from the master key, never in the clear.</summary>
public sealed class SecondFactor(MasterKey master, TimeProvider clock)
{
    readonly byte[] key = master.Derive("avledger-totp-v1");

    public static string NewSecret() => Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20));

    public string Seal(string secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.ASCII.GetBytes(secret);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Open(string sealedSecret)
    {
        var all = Convert.FromBase64String(sealedSecret);
        var plain = new byte[all.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(28), all.AsSpan(12, 16), plain);
        return Encoding.ASCII.GetString(plain);
    }

    /// <summary>The time step of <paramref name="code"/> if it is the current code or the one either
    /// side of it (clock drift); null otherwise. Whether the step is still unused is <see cref="UseAsync"/>'s question.</summary>
    public long? Match(string sealedSecret, string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit)
        && new Totp(Base32Encoding.ToBytes(Open(sealedSecret))).VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay)
            ? step : null;

    /// <summary>Takes a time step for the account if no later or equal step was used before, in one
    /// conditional UPDATE: a code overheard, or sent twice at once, is accepted only the first time.</summary>
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
        account.TotpPending = Seal(secret);
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
