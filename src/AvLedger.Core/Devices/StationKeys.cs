using System.Security.Cryptography;
using System.Text;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Devices;

/// <summary>Issuing and revoking collection stations' upload-only keys.</summary>
public sealed class StationKeys(AvLedgerDb db, TimeProvider clock)
{
    public sealed record IssuedKey(string Id, string DeviceCode, string Key);

    /// <summary>Only a key's hash is kept; a presented key is looked up by it.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The station if the person looks after it (<see cref="Scope.LooksAfterStation"/>); else as if it did not exist.</summary>
    async Task<Device?> StationAsync(Scope actor, string code, CancellationToken ct)
    {
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Code == code && d.Kind == DeviceKind.CollectionStation, ct);
        return device is not null && actor.LooksAfterStation(device.UnitId) ? device : null;
    }

    /// <summary>A new key, shown once: only its hash is kept.</summary>
    public async Task<Outcome<IssuedKey>> IssueAsync(Scope actor, string code, CancellationToken ct)
    {
        if (await StationAsync(actor, code, ct) is not { } device) return Refusal.NotFound;
        var key = StationKey.Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var stored = new StationKey { Id = Ids.New(), DeviceId = device.Id, Hash = HashOf(key), CreatedAt = now, CreatedById = actor.Id };
        db.StationKeys.Add(stored);
        AdministrationEvents.Add(db, actor.Id, AuditActions.StationKeyIssued, device.Id, stored.Id, now);
        await db.SaveChangesAsync(ct);
        return new IssuedKey(stored.Id, device.Code, key);
    }

    /// <summary>Revokes a key of the station; revoking it again changes nothing.</summary>
    public async Task<Refusal?> RevokeAsync(Scope actor, string code, string id, CancellationToken ct)
    {
        var device = await StationAsync(actor, code, ct);
        var key = device is null ? null : await db.StationKeys.SingleOrDefaultAsync(k => k.Id == id && k.DeviceId == device.Id, ct);
        if (key is null) return Refusal.NotFound;
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            AdministrationEvents.Add(db, actor.Id, AuditActions.StationKeyRevoked, device!.Id, key.Id, key.RevokedAt.Value);
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
