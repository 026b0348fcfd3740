using System.Security.Cryptography;
using System.Text;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Devices;

/// <summary>Issuing and revoking collection stations' upload-only keys.</summary>
public static class StationKeysApi
{
    public sealed record IssuedKey(string Id, string DeviceCode, string Key);

    public static void MapStationKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/stations/{code}/keys")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DeviceCustodian)));
        keys.MapPost("/", IssueAsync);
        keys.MapPost("/{id}/revoke", RevokeAsync);
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Administrators look after every station; a custodian only their own unit's.</summary>
    static async Task<Device?> StationAsync(AvLedgerDb db, string code, Account user, CancellationToken ct)
    {
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Code == code && d.Kind == DeviceKind.CollectionStation, ct);
        return device is not null && (user.Has(Role.SystemAdministrator) || device.UnitId is not null && device.UnitId == user.UnitId) ? device : null;
    }

    static async Task<IResult> IssueAsync(string code, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var device = await StationAsync(db, code, user.Account, ct);
        if (device is null) return Problems.NotFound();
        var key = StationKey.Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var stored = new StationKey { Id = Ids.New(), DeviceId = device.Id, Hash = HashOf(key), CreatedAt = now, CreatedById = user.Id };
        db.StationKeys.Add(stored);
        AdministrationEvents.Add(db, user.Id, AuditActions.StationKeyIssued, device.Id, stored.Id, now);
        await db.SaveChangesAsync(ct);
        // Shown once: only its hash is kept.
        return TypedResults.Created($"/api/v1/stations/{device.Code}/keys/{stored.Id}", new IssuedKey(stored.Id, device.Code, key));
    }

    static async Task<IResult> RevokeAsync(string code, string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var device = await StationAsync(db, code, user.Account, ct);
        var key = device is null ? null : await db.StationKeys.SingleOrDefaultAsync(k => k.Id == id && k.DeviceId == device.Id, ct);
        if (key is null) return Problems.NotFound();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            AdministrationEvents.Add(db, user.Id, AuditActions.StationKeyRevoked, device!.Id, key.Id, key.RevokedAt.Value);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
